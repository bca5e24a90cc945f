# The staging stack: only what differs from the defaults of modules/stripe-service. CI passes
# project_name and aws_region.
variable "project_name" {
  type    = string
  default = "eislett-education"
}

variable "aws_region" {
  type = string
}

variable "package_dir" {
  type    = string
  default = null
}

module "stripe_service" {
  source       = "../../modules/stripe-service"
  project_name = var.project_name
  environment  = "staging"
  definition   = jsondecode(file("${path.module}/../../../services/stripe-service/resources.json"))
  package_dir  = coalesce(var.package_dir, "${path.module}/../../../dist")

  log_retention_days      = 30
  sqs_maximum_concurrency = 5
  api_throttling          = { burst_limit = 100, rate_limit = 50 }
}

output "stack" {
  description = "Every output of the stack: api_endpoint, webhook_url, function, table, queue and topic names, secret names, alarm topic."
  value       = module.stripe_service
}
