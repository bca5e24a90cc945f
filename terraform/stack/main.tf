# The one root of the service's stacks: one stack per project and environment, each with its own
# state. What an environment is lives in terraform/environments/<env>/ as data only.
module "stripe_service" {
  source       = "../modules/stripe-service"
  project_name = var.project_name
  environment  = var.environment
  definition   = jsondecode(file("${path.module}/../../services/stripe-service/resources.json"))
  package_dir  = coalesce(var.package_dir, "${path.module}/../../dist")
  settings     = var.settings
}

locals {
  # Terraform drops an attribute that the module's type does not declare without a word, so a
  # misspelt setting would quietly keep its default: compare the names given with those the module
  # kept, and inside each object setting too.
  known_settings = module.stripe_service.settings
  unknown_settings = concat(
    [for name in keys(var.settings) : name if !contains(keys(local.known_settings), name)],
    flatten([
      for name, value in var.settings : [
        for inner in try(keys(value), []) : "${name}.${inner}" if !contains(try(keys(local.known_settings[name]), []), inner)
      ] if contains(keys(local.known_settings), name)
    ]),
  )
}
