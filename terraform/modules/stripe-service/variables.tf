variable "project_name" {
  description = "Project name, the first part of every physical name (e.g. stripe-payments)."
  type        = string
}

variable "environment" {
  description = "Environment name: dev, staging or prod."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "definition" {
  description = "The decoded resource definition, jsondecode(file(\".../services/stripe-service/resources.json\")). Its shape is checked by the service-definition module."
  type        = any
}

variable "external_table_names" {
  description = "Physical names of the tables other services own (products, prices), by table id. A table left out is assumed to be `{project}-{environment}-{name}`. They must exist: they are read, never created."
  type        = map(string)
  default     = {}
}

variable "package_dir" {
  description = "Folder of the zips `npm run build` writes, `<function id>.zip` each."
  type        = string
}

variable "log_level" {
  description = "LOG_LEVEL of every function."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["DEBUG", "INFO", "WARN", "ERROR"], var.log_level)
    error_message = "log_level must be DEBUG, INFO, WARN or ERROR."
  }
}

variable "metrics_namespace" {
  description = "CloudWatch namespace of the functions' custom metrics (POWERTOOLS_METRICS_NAMESPACE)."
  type        = string
  default     = "StripeService"
}

variable "secret_cache_ttl_seconds" {
  description = "How long a function keeps a secret value before reading it again (SECRET_CACHE_TTL_SECONDS)."
  type        = number
  default     = 300

  validation {
    condition     = var.secret_cache_ttl_seconds >= 0 && var.secret_cache_ttl_seconds <= 86400
    error_message = "secret_cache_ttl_seconds must be from 0 to 86400."
  }
}

variable "jwt" {
  description = "Optional asymmetric JWT verification (JWT_JWKS_URL, JWT_ISSUER, JWT_AUDIENCE); HS256 with the jwt-access-token-secret works without it."
  type = object({
    jwks_url = optional(string)
    issuer   = optional(string)
    audience = optional(string)
  })
  default = {}

  validation {
    condition     = var.jwt.jwks_url == null || can(regex("^https://", coalesce(var.jwt.jwks_url, "x")))
    error_message = "jwt.jwks_url must be an https URL."
  }
}

variable "extra_environment_variables" {
  description = "Settings added to every function's environment (e.g. a sender address for email). Never secret values, and never a name the module sets itself."
  type        = map(string)
  default     = {}
}

variable "function_policy_statements" {
  description = "Further IAM statements by function id, for permissions resources.json does not describe (e.g. ses:SendEmail for the notification worker)."
  type = map(list(object({
    sid       = string
    actions   = list(string)
    resources = list(string)
  })))
  default = {}
}

variable "customer_managed_key" {
  description = "The stack's own KMS key (rotated yearly) for its tables and the billing-events topic. Off, the tables use DynamoDB's AWS-owned key and the topic SNS's default encryption: only for a throwaway stack, since switching a live table's key re-encrypts it. deletion_window_in_days is how long a scheduled deletion of the key can still be cancelled (7-30)."
  type = object({
    enabled                 = optional(bool, true)
    deletion_window_in_days = optional(number, 30)
  })
  default = {}

  validation {
    condition     = var.customer_managed_key.deletion_window_in_days >= 7 && var.customer_managed_key.deletion_window_in_days <= 30
    error_message = "customer_managed_key.deletion_window_in_days must be from 7 to 30."
  }
}

variable "deletion_protection" {
  description = "Deletion protection on the service's tables."
  type        = bool
  default     = true
}

variable "log_retention_days" {
  description = "Retention of function and access logs, in days. A payments service usually must keep a year of audit logs (PCI DSS 10.5.1), hence the default; shorten it only where no card data flows."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs offers (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653)."
  }
}

variable "tracing_mode" {
  description = "X-Ray tracing of the functions: Active or PassThrough."
  type        = string
  default     = "PassThrough"
}

variable "sqs_maximum_concurrency" {
  description = "Cap on concurrent invocations per SQS event source (2-1000), or null for no cap. Protects Stripe's rate limit and DynamoDB from a burst of queued events."
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

variable "alarms" {
  description = "CloudWatch alarms: whether to create them, and where they notify (an existing SNS topic ARN, or a new topic when create_topic is true)."
  type = object({
    enabled      = optional(bool, true)
    topic_arn    = optional(string)
    create_topic = optional(bool, true)
    email        = optional(string)
  })
  default = {}
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
