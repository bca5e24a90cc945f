output "api_endpoint" {
  description = "Base URL of the HTTP API."
  value       = module.stripe_service.api_endpoint
}

output "webhook_url" {
  description = "URL to register as the Stripe webhook endpoint."
  value       = module.stripe_service.webhook_url
}

output "function_names" {
  description = "Lambda function names, by function id."
  value       = module.stripe_service.function_names
}

output "table_names" {
  description = "DynamoDB table names, by table id."
  value       = module.stripe_service.table_names
}

output "queue_urls" {
  description = "SQS queue URLs, by queue id."
  value       = module.stripe_service.queue_urls
}

output "dead_letter_queue_urls" {
  description = "Dead-letter queue URLs, by queue id."
  value       = module.stripe_service.dead_letter_queue_urls
}

output "topic_arns" {
  description = "SNS topic ARNs, by topic id."
  value       = module.stripe_service.topic_arns
}

output "secret_names" {
  description = "Secrets Manager names the functions read; create them before the first apply."
  value       = module.stripe_service.secret_names
}

output "alarm_topic_arn" {
  description = "SNS topic of the alarms, or null."
  value       = module.stripe_service.alarm_topic_arn
}
