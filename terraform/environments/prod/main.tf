# The prod stack: only what differs from the defaults of modules/stripe-service. CI passes
# project_name and aws_region; the S3 backend is configured at init (docs/deploy.md).
variable "project_name" { default = "stripe-payments" }
variable "aws_region" { type = string }
variable "package_dir" { default = null }

provider "aws" { region = var.aws_region }

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
