# One customer-managed key per stack for the data at rest the service owns: its tables and the
# billing-events topic.
locals {
  kms_alias = "alias/${local.def.name_prefix}-stripe-service"
  kms_arn   = var.customer_managed_key.enabled ? module.kms[0].arn : null
}

module "kms" {
  source = "../kms-key"
  count  = var.customer_managed_key.enabled ? 1 : 0

  description             = "${local.def.name_prefix} stripe-service: tables and billing events"
  alias_name              = local.kms_alias
  deletion_window_in_days = var.customer_managed_key.deletion_window_in_days
  sns_topic_arns          = values(local.topic_arns)
  tags                    = local.tags
}
