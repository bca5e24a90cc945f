variable "name" {
  description = "Physical name of the topic, `{project}-{environment}-{name}`."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,256}$", var.name))
    error_message = "A standard SNS topic name is 1-256 characters of letters, digits, '_' and '-'."
  }
}

variable "kms_master_key_id" {
  description = "KMS key for server-side encryption of the topic. The AWS managed key `alias/aws/sns` cannot be used with SQS subscribers, so null leaves the topic on SNS's default encryption at rest."
  type        = string
  default     = null
}

variable "sqs_subscriptions" {
  description = "SQS queues subscribed to the topic, by a stable key. filter_policy is the policy as JSON (jsonencode it), matched on message attributes unless filter_policy_scope says MessageBody; null delivers every message."
  type = map(object({
    queue_arn            = string
    queue_url            = string
    raw_message_delivery = optional(bool, true)
    filter_policy        = optional(string)
    filter_policy_scope  = optional(string, "MessageAttributes")
  }))
  default = {}

  validation {
    condition     = alltrue([for s in values(var.sqs_subscriptions) : contains(["MessageAttributes", "MessageBody"], s.filter_policy_scope)])
    error_message = "filter_policy_scope must be MessageAttributes or MessageBody."
  }

  validation {
    condition     = alltrue([for s in values(var.sqs_subscriptions) : s.filter_policy == null || can(keys(jsondecode(coalesce(s.filter_policy, "{}"))))])
    error_message = "filter_policy must be a JSON object."
  }
}

variable "publisher_role_arns" {
  description = "IAM roles allowed to publish, added to the topic policy (identity policies on those roles are still needed)."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags for the topic."
  type        = map(string)
  default     = {}
}
