# A table keyed by user and payment, looked up by Stripe id through an index, with expiring items.
module "table" {
  source = "../.."

  name      = "example-dev-payments"
  hash_key  = { name = "userId", type = "S" }
  range_key = { name = "paymentId", type = "S" }
  global_secondary_indexes = [
    { name = "stripePaymentIntentId-index", hash_key = { name = "stripePaymentIntentId", type = "S" } },
  ]
  ttl_attribute       = "ttl"
  deletion_protection = false
}

output "table_arn" {
  description = "ARN of the table."
  value       = module.table.arn
}

output "index_arns" {
  description = "ARNs of its indexes."
  value       = module.table.index_arns
}
