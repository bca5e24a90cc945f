# The prod stack: only what differs from the defaults of modules/stripe-service. CI passes
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
  environment  = "prod"
  definition   = jsondecode(file("${path.module}/../../../services/stripe-service/resources.json"))
  package_dir  = coalesce(var.package_dir, "${path.module}/../../../dist")

  # Logs kept a year: the default, as PCI DSS 10.5.1 asks of a payments service.
  tracing_mode            = "Active"
  sqs_maximum_concurrency = 10
  api_throttling          = { burst_limit = 500, rate_limit = 250 }

  # Live keys: the webhook ingress drops test-mode events (a live Connect endpoint also receives them).
  extra_environment_variables = { STRIPE_LIVEMODE = "true" }
}

output "stack" {
  description = "Every output of the stack: api_endpoint, webhook_url, function, table, queue and topic names, secret names, alarm topic."
  value       = module.stripe_service
}
