variable "name_prefix" {
  description = "Prefix of every secret name, `{project}-{environment}`; a secret is named `{name_prefix}-{name}`."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_+=.@-]+$", var.name_prefix))
    error_message = "name_prefix may hold letters, digits and _+=.@- only."
  }
}

variable "secrets" {
  description = "Secrets to look up, stable key => name without the prefix (e.g. stripe_secret_key => stripe-secret-key). They must exist: values are set by operators, never by Terraform, so they stay out of state."
  type        = map(string)

  validation {
    condition     = alltrue([for name in values(var.secrets) : can(regex("^[A-Za-z0-9_+=.@/-]+$", name))])
    error_message = "Secret names may hold letters, digits and _+=.@/- only."
  }
}
