variable "description" {
  description = "What the key protects, shown in the KMS console."
  type        = string
}

variable "alias_name" {
  description = "Alias of the key, alias/...; roles may be granted the key by this alias, which is known before the key exists."
  type        = string

  validation {
    condition     = can(regex("^alias/[A-Za-z0-9/_-]+$", var.alias_name)) && !startswith(var.alias_name, "alias/aws/")
    error_message = "alias_name must be alias/ followed by letters, digits, '/', '_' or '-', and not in the alias/aws/ namespace AWS reserves."
  }
}

variable "deletion_window_in_days" {
  description = "How long a scheduled deletion of the key can still be cancelled, in days (7-30)."
  type        = number
  default     = 30

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30
    error_message = "deletion_window_in_days must be from 7 to 30."
  }
}

variable "sns_topic_arns" {
  description = "Topics encrypted with the key that SNS may use it for, to deliver their messages to SQS subscribers."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags for the key."
  type        = map(string)
  default     = {}
}
