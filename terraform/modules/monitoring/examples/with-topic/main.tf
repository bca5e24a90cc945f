# Alarms on a queue's dead-letter queue and on one function, notifying a new topic with an email subscriber.
module "queue" {
  source = "../../../sqs-queue"

  name        = "example-dev-jobs"
  dead_letter = { name = "example-dev-jobs-dlq", max_receive_count = 5 }
}

module "monitoring" {
  source = "../.."

  name_prefix        = "example-dev"
  create_alarm_topic = true
  alarm_email        = "oncall@example.com"
  dead_letter_queues = { jobs = module.queue.dead_letter_name }
  function_names     = { worker = "example-dev-worker" }
}

output "alarm_topic_arn" {
  description = "Topic the alarms notify."
  value       = module.monitoring.alarm_topic_arn
}
