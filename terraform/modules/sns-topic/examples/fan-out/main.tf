# One topic, two queues: one receives every message, the other only failed payments.
module "all_events" {
  source = "../../../sqs-queue"

  name        = "example-dev-all-events"
  dead_letter = { name = "example-dev-all-events-dlq", max_receive_count = 5 }
}

module "failures" {
  source = "../../../sqs-queue"

  name        = "example-dev-payment-failures"
  dead_letter = { name = "example-dev-payment-failures-dlq", max_receive_count = 5 }
}

module "topic" {
  source = "../.."

  name = "example-dev-billing-events"
  sqs_subscriptions = {
    all = {
      queue_arn = module.all_events.arn
      queue_url = module.all_events.url
    }
    failures = {
      queue_arn     = module.failures.arn
      queue_url     = module.failures.url
      filter_policy = jsonencode({ type = ["payment.failed", "invoice.payment_failed"] })
    }
  }
}

output "topic_arn" {
  description = "ARN of the topic."
  value       = module.topic.arn
}
