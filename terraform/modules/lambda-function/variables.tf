variable "function_name" {
  description = "Physical name of the function, `{project}-{environment}-{id}`."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.function_name))
    error_message = "A function name is 1-64 characters of letters, digits, '_' and '-'."
  }
}

variable "description" {
  description = "Function description."
  type        = string
  default     = ""
}

variable "package_path" {
  description = "Path of the deployment zip built by `npm run build` (dist/<function>.zip), holding index.mjs."
  type        = string

  validation {
    condition     = endswith(var.package_path, ".zip")
    error_message = "package_path must name a .zip file."
  }
}

variable "handler" {
  description = "Module and export the runtime calls."
  type        = string
  default     = "index.handler"
}

variable "runtime" {
  description = "Lambda runtime."
  type        = string
  default     = "nodejs22.x"

  validation {
    condition     = can(regex("^nodejs(2[02468]|[3-9][02468])\\.x$", var.runtime))
    error_message = "runtime must be a Node.js LTS runtime, nodejs20.x or later."
  }
}

variable "architecture" {
  description = "Instruction set: arm64 (cheaper per GB-second) or x86_64."
  type        = string
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "architecture must be arm64 or x86_64."
  }
}

variable "memory_mb" {
  description = "Memory in MB; CPU share grows with it."
  type        = number
  default     = 256

  validation {
    condition     = var.memory_mb >= 128 && var.memory_mb <= 10240
    error_message = "memory_mb must be from 128 to 10240."
  }
}

variable "timeout_seconds" {
  description = "Invocation timeout in seconds."
  type        = number
  default     = 10

  validation {
    condition     = var.timeout_seconds >= 1 && var.timeout_seconds <= 900
    error_message = "timeout_seconds must be from 1 to 900."
  }
}

variable "reserved_concurrency" {
  description = "Reserved concurrent executions; -1 leaves the function unreserved."
  type        = number
  default     = -1
}

variable "environment_variables" {
  description = "Environment variables. Never secret values: pass Secrets Manager names and let the code read them at cold start."
  type        = map(string)
  default     = {}

  validation {
    condition = alltrue([
      for key in keys(var.environment_variables) :
      can(regex("^[A-Za-z][A-Za-z0-9_]*$", key)) && !contains(["AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_FUNCTION_NAME"], key)
    ])
    error_message = "Environment variable names must be identifiers and must not be variables the Lambda runtime reserves."
  }
}

variable "log_level" {
  description = "Level below which Lambda drops the function's application logs (logs are JSON); keep it at or below the LOG_LEVEL the code uses."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"], var.log_level)
    error_message = "log_level must be TRACE, DEBUG, INFO, WARN, ERROR or FATAL."
  }
}

variable "log_retention_days" {
  description = "Retention of the function's CloudWatch log group."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "tracing_mode" {
  description = "X-Ray tracing: Active or PassThrough."
  type        = string
  default     = "PassThrough"

  validation {
    condition     = contains(["Active", "PassThrough"], var.tracing_mode)
    error_message = "tracing_mode must be Active or PassThrough."
  }
}

variable "dynamodb_tables" {
  description = "Tables the function uses, by a stable key, with the ARNs of their indexes and what it does with their items: read (get, query), write (put, update, delete, condition checks) and scan. No table administration."
  type = map(object({
    arn        = string
    index_arns = optional(list(string), [])
    access     = optional(list(string), ["read", "write"])
  }))
  default = {}

  validation {
    condition     = alltrue([for table in values(var.dynamodb_tables) : contains(table.access, "read") && length(setsubtract(table.access, ["read", "write", "scan"])) == 0])
    error_message = "A table's access must include read and may add only write and scan."
  }
}

variable "secret_arns" {
  description = "Secrets the function may read (secretsmanager:GetSecretValue only), by a stable key."
  type        = map(string)
  default     = {}
}

variable "sqs_send_queue_arns" {
  description = "Queues the function may send to, by a stable key."
  type        = map(string)
  default     = {}
}

variable "sns_publish_topic_arns" {
  description = "Topics the function may publish to, by a stable key."
  type        = map(string)
  default     = {}
}

variable "policy_statements" {
  description = "Further Allow statements for what the typed inputs do not cover (e.g. ses:SendEmail on one identity). Actions and resources named exactly: no wildcards in either."
  type = list(object({
    sid       = string
    actions   = list(string)
    resources = list(string)
  }))
  default = []

  validation {
    condition     = alltrue([for s in var.policy_statements : can(regex("^[A-Za-z0-9]+$", s.sid)) && length(s.actions) > 0 && length(s.resources) > 0])
    error_message = "Each statement needs an alphanumeric sid, actions and resources."
  }

  validation {
    condition     = alltrue(flatten([for s in var.policy_statements : [for a in s.actions : can(regex("^[a-z0-9-]+:[A-Za-z0-9]+$", a))]]))
    error_message = "Actions must be named in full (service:Action), without wildcards."
  }

  validation {
    condition     = alltrue(flatten([for s in var.policy_statements : [for r in s.resources : !strcontains(r, "*")]]))
    error_message = "Resources must be named in full (an ARN), without wildcards."
  }
}

variable "sqs_event_source" {
  description = "SQS queue that triggers the function, or null. Partial batch failures are always reported (ReportBatchItemFailures), so one bad message never retries its whole batch."
  type = object({
    queue_arn                          = string
    batch_size                         = optional(number, 10)
    maximum_batching_window_in_seconds = optional(number, 0)
    maximum_concurrency                = optional(number)
  })
  default = null

  validation {
    condition     = var.sqs_event_source == null || (try(var.sqs_event_source.batch_size, 0) >= 1 && try(var.sqs_event_source.batch_size, 0) <= 10000)
    error_message = "batch_size must be from 1 to 10000."
  }

  validation {
    condition     = var.sqs_event_source == null || (try(var.sqs_event_source.maximum_batching_window_in_seconds, 0) >= 0 && try(var.sqs_event_source.maximum_batching_window_in_seconds, 0) <= 300)
    error_message = "maximum_batching_window_in_seconds must be from 0 to 300."
  }

  validation {
    # A conditional, not ||: HCL evaluates both sides of ||, and null >= 2 is an error.
    condition     = try(var.sqs_event_source.maximum_concurrency, null) == null ? true : var.sqs_event_source.maximum_concurrency >= 2 && var.sqs_event_source.maximum_concurrency <= 1000
    error_message = "maximum_concurrency must be from 2 to 1000."
  }

  validation {
    condition     = var.sqs_event_source == null || try(var.sqs_event_source.batch_size, 0) <= 10 || try(var.sqs_event_source.maximum_batching_window_in_seconds, 0) >= 1
    error_message = "A batch_size over 10 needs a maximum_batching_window_in_seconds of at least 1."
  }
}

variable "tags" {
  description = "Tags for the function, its role and its log group."
  type        = map(string)
  default     = {}
}

variable "log_kms_key_arn" {
  description = "Customer-managed KMS key for the function's log group, or null for CloudWatch Logs' own encryption. Its key policy must allow the logs service of the region."
  type        = string
  default     = null
}

variable "code_signing_config_arn" {
  description = "Lambda code signing configuration (AWS Signer) the package must satisfy, or null."
  type        = string
  default     = null
}
