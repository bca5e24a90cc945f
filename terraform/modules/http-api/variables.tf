variable "name" {
  description = "Physical name of the API, `{project}-{environment}-{name}`."
  type        = string

  validation {
    condition     = length(var.name) >= 1 && length(var.name) <= 128
    error_message = "The API name must be 1-128 characters."
  }
}

variable "description" {
  description = "API description."
  type        = string
  default     = ""
}

variable "functions" {
  description = "Lambda functions the API integrates with, by a stable key (the function id)."
  type = map(object({
    function_name = string
    invoke_arn    = string
  }))
}

variable "routes" {
  description = "Route key (`METHOD /path`) => key in `functions` of the function that answers it. Several routes may share one function."
  type        = map(string)

  validation {
    condition     = alltrue([for key in keys(var.routes) : can(regex("^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY) /\\S*$", key))])
    error_message = "Route keys must look like `POST /stripe/customer`."
  }
}

variable "stage_name" {
  description = "Stage name; `$default` serves the API at its root URL."
  type        = string
  default     = "$default"
}

variable "throttling_burst_limit" {
  description = "Default route burst limit (requests)."
  type        = number
  default     = 200

  validation {
    condition     = var.throttling_burst_limit >= 0
    error_message = "throttling_burst_limit must not be negative."
  }
}

variable "throttling_rate_limit" {
  description = "Default route steady-state limit (requests per second)."
  type        = number
  default     = 100

  validation {
    condition     = var.throttling_rate_limit >= 0
    error_message = "throttling_rate_limit must not be negative."
  }
}

variable "integration_timeout_milliseconds" {
  description = "How long API Gateway waits for a function (HTTP APIs allow up to 30 s)."
  type        = number
  default     = 29000

  validation {
    condition     = var.integration_timeout_milliseconds >= 50 && var.integration_timeout_milliseconds <= 30000
    error_message = "integration_timeout_milliseconds must be from 50 to 30000."
  }
}

variable "cors_allow_origins" {
  description = "Origins allowed by CORS; empty turns CORS off."
  type        = list(string)
  default     = []
}

variable "access_log_retention_days" {
  description = "Retention of the access log group."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.access_log_retention_days)
    error_message = "access_log_retention_days must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "tags" {
  description = "Tags for the API, stage and log group."
  type        = map(string)
  default     = {}
}

variable "jwt_authorizer" {
  description = "An API Gateway JWT authorizer (issuer, audience) on the listed routes, or null. Only for tokens an OIDC issuer signs (RS256/ES256, keys from the issuer's JWKS)."
  type = object({
    issuer   = string
    audience = list(string)
    routes   = set(string)
  })
  default = null

  validation {
    condition     = var.jwt_authorizer == null ? true : can(regex("^https://", var.jwt_authorizer.issuer)) && length(var.jwt_authorizer.audience) > 0
    error_message = "jwt_authorizer needs an https issuer and at least one audience."
  }
}
