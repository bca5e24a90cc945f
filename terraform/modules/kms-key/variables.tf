variable "description" {
  description = "What the key protects, shown in the KMS console."
  type        = string
}

variable "alias_name" {
  description = "Alias of the key, alias/...."
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

variable "role_grants" {
  description = "Roles of this account that may use the key, by a stable id (letters, digits, '-', '_'), each with the services it uses the key through (e.g. dynamodb, sns: the region's endpoint is added). Each is allowed kms:Decrypt and kms:DescribeKey in the key policy, and kms:Encrypt and kms:GenerateDataKey too unless read_only, needing no IAM statement. The roles must exist before the key's policy names them: pass values that refer to them."
  type = map(object({
    role_arn     = string
    via_services = list(string)
    # Only reads data under the key (a DynamoDB reader): what the AWS CDK grants one.
    read_only = optional(bool, false)
  }))
  default = {}

  validation {
    condition     = alltrue([for id, grant in var.role_grants : can(regex("^[A-Za-z0-9_-]+$", id)) && can(regex("^arn:[a-z-]+:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$", grant.role_arn))])
    error_message = "Each role grant needs an id of letters, digits, '-' and '_', and a role ARN (arn:<partition>:iam::<account>:role/<name>), not a wildcard."
  }

  validation {
    condition     = alltrue([for grant in values(var.role_grants) : length(grant.via_services) > 0 && alltrue([for service in grant.via_services : can(regex("^[a-z0-9-]+$", service))])])
    error_message = "Each role grant needs at least one service, named as in its endpoint (dynamodb, sns)."
  }

  validation {
    # Each id becomes a statement id; KMS refuses a policy with two equal ones.
    condition     = length(distinct([for id in keys(var.role_grants) : lower(replace(id, "/[-_]/", ""))])) == length(var.role_grants)
    error_message = "Role grant ids must differ by more than '-', '_' and case."
  }
}

variable "tags" {
  description = "Tags for the key."
  type        = map(string)
  default     = {}
}
