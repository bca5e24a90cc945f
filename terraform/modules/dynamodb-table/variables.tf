variable "name" {
  description = "Physical name of the table, `{project}-{environment}-{name}`."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.name))
    error_message = "A DynamoDB table name is 3-255 characters of letters, digits, '_', '-' and '.'."
  }
}

variable "hash_key" {
  description = "Partition key attribute."
  type = object({
    name = string
    type = string
  })

  validation {
    condition     = contains(["S", "N", "B"], var.hash_key.type)
    error_message = "Key attribute type must be S, N or B."
  }
}

variable "range_key" {
  description = "Sort key attribute, or null for a table with a partition key only."
  type = object({
    name = string
    type = string
  })
  default = null

  validation {
    condition     = var.range_key == null || contains(["S", "N", "B"], try(var.range_key.type, ""))
    error_message = "Key attribute type must be S, N or B."
  }
}

variable "global_secondary_indexes" {
  description = "Global secondary indexes. Billing is on demand, so no capacity is set; projection is ALL unless told otherwise."
  type = list(object({
    name            = string
    hash_key        = object({ name = string, type = string })
    range_key       = optional(object({ name = string, type = string }))
    projection_type = optional(string, "ALL")
  }))
  default = []

  validation {
    condition = alltrue([
      for index in var.global_secondary_indexes :
      contains(["S", "N", "B"], index.hash_key.type) && (index.range_key == null || contains(["S", "N", "B"], try(index.range_key.type, "")))
    ])
    error_message = "Index key attribute types must be S, N or B."
  }

  validation {
    condition     = alltrue([for index in var.global_secondary_indexes : contains(["ALL", "KEYS_ONLY"], index.projection_type)])
    error_message = "projection_type must be ALL or KEYS_ONLY."
  }

  validation {
    condition     = length(distinct([for index in var.global_secondary_indexes : index.name])) == length(var.global_secondary_indexes)
    error_message = "Index names must be unique."
  }
}

variable "ttl_attribute" {
  description = "Attribute holding the expiry time in epoch seconds, or null for no TTL."
  type        = string
  default     = null
}

variable "point_in_time_recovery" {
  description = "Whether point-in-time recovery is on. Payment records warrant it everywhere."
  type        = bool
  default     = true
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for server-side encryption; null uses the AWS managed key for DynamoDB."
  type        = string
  default     = null
}

variable "deletion_protection" {
  description = "Refuse deletion of the table (set true for production)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags for the table."
  type        = map(string)
  default     = {}
}
