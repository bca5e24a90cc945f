variable "project_name" {
  description = "Project name, the first part of every physical name. CI passes the GitHub variable PROJECT_NAME."
  type        = string
  default     = "stripe-payments"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.project_name))
    error_message = "project_name must be 3-32 lowercase letters, digits and '-', starting with a letter."
  }
}

variable "environment" {
  description = "Environment this folder deploys."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "aws_region" {
  description = "AWS region of the stack."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must be a region name such as eu-west-1."
  }
}

variable "package_dir" {
  description = "Folder of the function zips from `npm run build`; null means the repository's dist/."
  type        = string
  default     = null
}

variable "external_table_names" {
  description = "Physical names of the products and prices tables, owned by other services, by table id. Left out: `{project}-{environment}-{name}`."
  type        = map(string)
  default     = {}
}

variable "log_level" {
  description = "LOG_LEVEL of the functions."
  type        = string
  default     = "INFO"
}

variable "log_retention_days" {
  description = "Retention of function and API access logs."
  type        = number
  default     = 30
}

variable "deletion_protection" {
  description = "Deletion protection on the service's tables."
  type        = bool
  default     = true
}

variable "tracing_mode" {
  description = "X-Ray tracing: Active or PassThrough."
  type        = string
  default     = "PassThrough"
}

variable "sqs_maximum_concurrency" {
  description = "Cap on concurrent invocations per SQS event source, or null."
  type        = number
  default     = null
}

variable "api_throttling" {
  description = "Default route throttling of the HTTP API."
  type = object({
    burst_limit = number
    rate_limit  = number
  })
  default = {
    burst_limit = 200
    rate_limit  = 100
  }
}

variable "cors_allow_origins" {
  description = "Browser origins allowed by CORS; empty turns CORS off."
  type        = list(string)
  default     = []
}

variable "jwt" {
  description = "Optional JWKS verification: jwks_url, issuer, audience."
  type = object({
    jwks_url = optional(string)
    issuer   = optional(string)
    audience = optional(string)
  })
  default = {}
}

variable "extra_environment_variables" {
  description = "Settings added to every function's environment (never secret values)."
  type        = map(string)
  default     = {}
}

variable "function_policy_statements" {
  description = "Further IAM statements by function id, for permissions resources.json does not describe (e.g. ses:SendEmail)."
  type = map(list(object({
    sid       = string
    actions   = list(string)
    resources = list(string)
  })))
  default = {}
}

variable "alarms" {
  description = "Alarms: enabled, an existing topic_arn, or create_topic with an optional email."
  type = object({
    enabled      = optional(bool, true)
    topic_arn    = optional(string)
    create_topic = optional(bool, false)
    email        = optional(string)
  })
  default = {}
}
