output "stack" {
  description = "Every output of the stack: api_endpoint, webhook_url, function, table, queue and topic names, secret names, alarm topic, the settings in force."
  value       = module.stripe_service

  precondition {
    condition     = length(local.unknown_settings) == 0
    error_message = "settings names what modules/stripe-service does not know (see its README): ${join(", ", local.unknown_settings)}."
  }
}
