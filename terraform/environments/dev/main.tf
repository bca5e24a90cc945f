locals {
  # The one definition of the service's resources, shared with the local stack and the build: the
  # stack is generated from it, so Terraform cannot drift from it.
  resources = jsondecode(file("${path.module}/../../../services/stripe-service/resources.json"))
}

module "stripe_service" {
  source = "../../modules/stripe-service"

  project_name         = var.project_name
  environment          = var.environment
  definition           = local.resources
  external_table_names = var.external_table_names
  package_dir          = coalesce(var.package_dir, "${path.module}/../../../dist")

  log_level               = var.log_level
  log_retention_days      = var.log_retention_days
  deletion_protection     = var.deletion_protection
  tracing_mode            = var.tracing_mode
  sqs_maximum_concurrency = var.sqs_maximum_concurrency
  api_throttling          = var.api_throttling
  cors_allow_origins      = var.cors_allow_origins
  jwt                     = var.jwt
  alarms                  = var.alarms

  extra_environment_variables = var.extra_environment_variables
  function_policy_statements  = var.function_policy_statements
}
