output "api_endpoint" {
  description = "Base URL of the HTTP API; routes live under /stripe."
  value       = module.api.endpoint
}

output "webhook_url" {
  description = "URL to register as the Stripe webhook endpoint, or null while no function serves POST /stripe/webhook."
  value       = local.webhook_route ? "${trimsuffix(module.api.endpoint, "/")}/stripe/webhook" : null
}

output "api_id" {
  description = "HTTP API id."
  value       = module.api.id
}

output "function_names" {
  description = "Lambda function names, by function id."
  value       = { for id, fn in module.functions : id => fn.function_name }
}

output "function_role_arns" {
  description = "Execution role ARNs, by function id."
  value       = { for id, fn in module.functions : id => fn.role_arn }
}

output "table_names" {
  description = "Physical table names, owned and external, by table id."
  value = merge(
    { for id, table in module.tables : id => table.name },
    { for id, table in data.aws_dynamodb_table.external : id => table.name },
  )
}

output "queue_urls" {
  description = "Queue URLs, by queue id."
  value       = { for id, queue in module.queues : id => queue.url }
}

output "dead_letter_queue_urls" {
  description = "Dead-letter queue URLs, by queue id (for inspection and `aws sqs start-message-move-task`)."
  value       = { for id, queue in module.queues : id => queue.dead_letter_url }
}

output "dead_letter_queue_arns" {
  description = "Dead-letter queue ARNs, by queue id."
  value       = { for id, queue in module.queues : id => queue.dead_letter_arn }
}

output "topic_arns" {
  description = "SNS topic ARNs, by topic id."
  value       = { for id, topic in module.topics : id => topic.arn }
}

output "secret_names" {
  description = "Secrets Manager names the functions read, by secret id."
  value       = module.secrets.names
}

output "environment_variables" {
  description = "The environment every function runs with (names and ids only, no secret values)."
  value       = local.environment_variables
}

output "alarm_topic_arn" {
  description = "SNS topic of the alarms, or null."
  value       = try(module.monitoring[0].alarm_topic_arn, null)
}

output "kms_key_arn" {
  description = "The stack's KMS key, or null when customer_managed_key is off."
  value       = local.kms_arn
}

output "settings" {
  description = "The settings in force: what the caller gave, with every default filled in."
  value       = var.settings
}
