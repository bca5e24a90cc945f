variable "name" {
  description = "Physical name of the queue, `{project}-{environment}-{name}`."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,80}$", var.name))
    error_message = "A standard SQS queue name is 1-80 characters of letters, digits, '_' and '-'."
  }
}

variable "visibility_timeout_seconds" {
  description = "Visibility timeout. Keep it at least six times the consuming function's timeout, as Lambda advises."
  type        = number
  default     = 30

  validation {
    condition     = var.visibility_timeout_seconds >= 0 && var.visibility_timeout_seconds <= 43200 && floor(var.visibility_timeout_seconds) == var.visibility_timeout_seconds
    error_message = "visibility_timeout_seconds must be a whole number from 0 to 43200."
  }
}

variable "message_retention_seconds" {
  description = "How long the queue keeps a message."
  type        = number
  default     = 345600

  validation {
    condition     = var.message_retention_seconds >= 60 && var.message_retention_seconds <= 1209600
    error_message = "message_retention_seconds must be from 60 to 1209600 (14 days)."
  }
}

variable "receive_wait_time_seconds" {
  description = "Long polling wait for ReceiveMessage."
  type        = number
  default     = 20

  validation {
    condition     = var.receive_wait_time_seconds >= 0 && var.receive_wait_time_seconds <= 20
    error_message = "receive_wait_time_seconds must be from 0 to 20."
  }
}

variable "dead_letter" {
  description = "The dead-letter queue: its physical name, how many receives move a message there, and its retention."
  type = object({
    name                      = string
    max_receive_count         = number
    message_retention_seconds = optional(number, 1209600)
  })

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,80}$", var.dead_letter.name))
    error_message = "The dead-letter queue name is 1-80 characters of letters, digits, '_' and '-'."
  }

  validation {
    condition     = var.dead_letter.max_receive_count >= 1 && var.dead_letter.max_receive_count <= 1000
    error_message = "max_receive_count must be from 1 to 1000."
  }

  validation {
    condition     = var.dead_letter.message_retention_seconds >= 60 && var.dead_letter.message_retention_seconds <= 1209600
    error_message = "The dead-letter retention must be from 60 to 1209600 seconds."
  }
}

variable "kms_master_key_id" {
  description = "KMS key for server-side encryption; null uses SQS managed encryption (SSE-SQS)."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags for both queues."
  type        = map(string)
  default     = {}
}
