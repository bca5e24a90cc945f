output "name_prefix" {
  description = "`{project}-{environment}`, the prefix of every physical name."
  value       = local.prefix
}

output "tables" {
  description = "Tables this service owns, by id: physical name, env variable, keys, TTL attribute and indexes."
  value       = local.owned_tables
}

output "external_tables" {
  description = "Tables other services own, by id: physical name and env variable."
  value       = local.external_tables
}

output "queues" {
  description = "Queues by id: physical name, env variable, visibility, retention and dead-letter queue."
  value       = local.queues
}

output "topics" {
  description = "Topics by id: physical name, env variable and SQS subscriptions by queue id."
  value       = local.topics
}

output "secrets" {
  description = "Secret names without the prefix, by id."
  value       = local.secrets
}

output "functions" {
  description = "Functions by id: physical name, package path, sizing, routes and what each may use (table_access: per table, read, write and scan)."
  value       = local.functions
}

output "routes" {
  description = "Route key => function id."
  value       = local.routes
}

output "static_environment" {
  description = "The part of every function's environment known before apply: settings and table names. Queue URLs and topic ARNs are added by the caller once those exist."
  value       = local.static_environment
}
