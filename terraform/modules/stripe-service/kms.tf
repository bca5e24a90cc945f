# One customer-managed key per stack for the data at rest the service owns: its tables and the
# billing-events topic.
locals {
  kms_alias = "alias/${local.def.name_prefix}-stripe-service"
  kms_arn   = var.settings.customer_managed_key.enabled ? module.kms[0].arn : null
}

module "kms" {
  source = "../kms-key"
  count  = var.settings.customer_managed_key.enabled ? 1 : 0

  description             = "${local.def.name_prefix} stripe-service: tables and billing events"
  alias_name              = local.kms_alias
  deletion_window_in_days = var.settings.customer_managed_key.deletion_window_in_days
  sns_topic_arns          = values(local.topic_arns)
  # The key protects the tables this stack creates and its topics, not other services' tables, so
  # only functions using those get a grant. The ARN is built from the role's name, known at plan
  # time, so the plan shows each grant; reading the name from the module makes the key wait for
  # the roles, which KMS requires to exist before a key policy names them.
  role_grants = {
    for id, fn in module.functions : id => {
      role_arn     = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:role/${fn.role_name}"
      via_services = local.kms_services[id]
      # A function that only reads the stack's tables and publishes nothing never encrypts.
      read_only = length(local.def.functions[id].topics) == 0 && alltrue([for t in setintersection(local.def.functions[id].tables, keys(local.def.tables)) : !contains(local.def.functions[id].table_access[t], "write")])
    } if length(local.kms_services[id]) > 0
  }
  tags = local.tags
}
