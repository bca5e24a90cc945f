# A work queue with its dead-letter queue: after three failed receives a message moves to the DLQ.
module "queue" {
  source = "../.."

  name                       = "example-dev-jobs"
  visibility_timeout_seconds = 60
  message_retention_seconds  = 345600
  dead_letter = {
    name              = "example-dev-jobs-dlq"
    max_receive_count = 3
  }
}

output "queue_url" {
  description = "URL of the work queue."
  value       = module.queue.url
}

output "dead_letter_url" {
  description = "URL of its dead-letter queue."
  value       = module.queue.dead_letter_url
}
