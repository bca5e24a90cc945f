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

variable "package_dir" {
  description = "Folder of the zips `npm run build` writes, `<function id>.zip` each."
  type        = string
}

# Everything an environment may tune, in one object: a root configuration passes its environment's
# settings through whole (terraform/stack, fed terraform/environments/<env>/<env>.tfvars), so each
# attribute is typed, defaulted and validated here once rather than re-declared by every caller.
variable "settings" {
  description = "What an environment tunes; every attribute is optional, and the README lists each with its meaning and default."
  type = object({
    external_table_names     = optional(map(string), {})
    log_level                = optional(string, "INFO")
    metrics_namespace        = optional(string, "StripeService")
    secret_cache_ttl_seconds = optional(number, 300)
    jwt = optional(object({
      jwks_url = optional(string)
      issuer   = optional(string)
      audience = optional(string)
    }), {})
    extra_environment_variables = optional(map(string), {})
    function_policy_statements = optional(map(list(object({
      sid       = string
      actions   = list(string)
      resources = list(string)
    }))), {})
    # Off, the tables use DynamoDB's AWS-owned key and the topic SNS's default encryption: only for
    # a throwaway stack, since switching a live table's key re-encrypts it.
    customer_managed_key = optional(object({
      enabled                 = optional(bool, true)
      deletion_window_in_days = optional(number, 30)
    }), {})
    deletion_protection = optional(bool, true)
    # A payments service usually must keep a year of audit logs (PCI DSS 10.5.1), hence the
    # default; shorten it only where no card data flows.
    log_retention_days = optional(number, 365)
    tracing_mode       = optional(string, "PassThrough")
    # Protects Stripe's rate limit and DynamoDB from a burst of queued events.
    sqs_maximum_concurrency = optional(number)
    api_throttling = optional(object({
      burst_limit = optional(number, 200)
      rate_limit  = optional(number, 100)
    }), {})
    cors_allow_origins = optional(list(string), [])
    # An existing SNS topic ARN, or a new topic when create_topic is true.
    alarms = optional(object({
      enabled      = optional(bool, true)
      topic_arn    = optional(string)
      create_topic = optional(bool, true)
      email        = optional(string)
    }), {})
    tags = optional(map(string), {})
  })
  default  = {}
  nullable = false

  validation {
    condition     = contains(["DEBUG", "INFO", "WARN", "ERROR"], var.settings.log_level)
    error_message = "settings.log_level must be DEBUG, INFO, WARN or ERROR."
  }

  validation {
    condition     = var.settings.secret_cache_ttl_seconds >= 0 && var.settings.secret_cache_ttl_seconds <= 86400
    error_message = "settings.secret_cache_ttl_seconds must be from 0 to 86400."
  }

  validation {
    condition     = var.settings.jwt.jwks_url == null || can(regex("^https://", coalesce(var.settings.jwt.jwks_url, "x")))
    error_message = "settings.jwt.jwks_url must be an https URL."
  }

  validation {
    condition     = var.settings.customer_managed_key.deletion_window_in_days >= 7 && var.settings.customer_managed_key.deletion_window_in_days <= 30
    error_message = "settings.customer_managed_key.deletion_window_in_days must be from 7 to 30."
  }

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.settings.log_retention_days)
    error_message = "settings.log_retention_days must be a retention CloudWatch Logs offers (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653)."
  }

  validation {
    condition     = contains(["Active", "PassThrough"], var.settings.tracing_mode)
    error_message = "settings.tracing_mode must be Active or PassThrough."
  }
}
