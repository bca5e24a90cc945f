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
