variable "project_name" {
  description = "Project name, the first part of every physical name; CI passes the repository variable PROJECT_NAME."
  type        = string
  default     = "eislett-education"
}

variable "aws_region" {
  description = "Region of the stack; CI passes AWS_REGION."
  type        = string
}

variable "package_dir" {
  description = "Folder of the function zips; null means the dist/ that `npm run build` writes."
  type        = string
  default     = null
}

variable "environment" {
  description = "dev, staging or prod: set by terraform/environments/<env>/<env>.tfvars."
  type        = string
}

# Typed and validated by modules/stripe-service (its README lists every setting), so that this
# root does not declare each one again; main.tf refuses a name the module does not know.
variable "settings" {
  description = "What this environment sets differently from the defaults of modules/stripe-service, from its tfvars."
  type        = any
  default     = {}
}
