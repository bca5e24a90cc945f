variable "name_prefix" {
  description = "`{project}-{environment}`, prefix of alarm names."
  type        = string
}

variable "alarm_topic_arn" {
  description = "Existing SNS topic that receives alarm and OK notifications, or null."
  type        = string
  default     = null
}

variable "create_alarm_topic" {
  description = "Create an SNS topic for the alarms (used when alarm_topic_arn is null)."
  type        = bool
  default     = false
}

variable "alarm_email" {
  description = "Email address subscribed to a created alarm topic (the subscription must be confirmed), or null."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_email == null || can(regex("^[^@\\s]+@[^@\\s]+$", coalesce(var.alarm_email, "x")))
    error_message = "alarm_email must be an email address."
  }
}

variable "dead_letter_queues" {
  description = "Dead-letter queue names, by a stable key. Any message in one means an event was not handled."
  type        = map(string)
  default     = {}
}

variable "function_names" {
  description = "Lambda function names, by a stable key."
  type        = map(string)
  default     = {}
}

variable "function_error_threshold" {
  description = "Errors in five minutes that raise a function's error alarm."
  type        = number
  default     = 1

  validation {
    condition     = var.function_error_threshold >= 1
    error_message = "function_error_threshold must be at least 1."
  }
}

variable "api" {
  description = "HTTP API to watch for 5xx answers (its id and stage), or null for no API alarm."
  type = object({
    id    = string
    stage = string
  })
  default = null
}

variable "api_5xx_threshold" {
  description = "5xx responses in five minutes that raise the API alarm."
  type        = number
  default     = 5

  validation {
    condition     = var.api_5xx_threshold >= 1
    error_message = "api_5xx_threshold must be at least 1."
  }
}

variable "tags" {
  description = "Tags for the alarms and the topic."
  type        = map(string)
  default     = {}
}

variable "queues" {
  description = "Main (source) queue names, by a stable key: their oldest message's age says whether the consumer keeps up."
  type        = map(string)
  default     = {}
}

variable "queue_age_threshold_seconds" {
  description = "Age of a main queue's oldest message, in seconds, that raises its alarm."
  type        = number
  default     = 900

  validation {
    condition     = var.queue_age_threshold_seconds >= 60
    error_message = "queue_age_threshold_seconds must be at least 60."
  }
}

variable "function_timeouts" {
  description = "Timeout in seconds of each function, by the keys of function_names: a maximum duration above 80% of it raises an alarm before invocations start timing out."
  type        = map(number)
  default     = {}
}

variable "tables" {
  description = "DynamoDB table names, by a stable key, to watch for throttled reads and writes."
  type        = map(string)
  default     = {}
}

variable "webhook_signature_failures" {
  description = "The EMF metric counting refused webhook signatures (a wrong or rotated signing secret, or forged calls), or null for no alarm."
  type = object({
    namespace = string
    service   = string
    threshold = optional(number, 5)
  })
  default = null
}

variable "api_5xx_rate_percent" {
  description = "Share of the HTTP API's answers in five minutes, in percent, that are 5xx and raise the rate alarm."
  type        = number
  default     = 5

  validation {
    condition     = var.api_5xx_rate_percent > 0 && var.api_5xx_rate_percent <= 100
    error_message = "api_5xx_rate_percent must be above 0 and at most 100."
  }
}

variable "alarm_topic_kms_key_id" {
  description = "Customer-managed KMS key for a created alarm topic, or null. Its key policy must let cloudwatch.amazonaws.com use it (GenerateDataKey*, Decrypt), which the AWS-managed SNS key does not."
  type        = string
  default     = null
}
