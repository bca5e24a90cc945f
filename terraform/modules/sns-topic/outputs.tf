output "name" {
  description = "Topic name."
  value       = aws_sns_topic.this.name
}

output "arn" {
  description = "Topic ARN."
  value       = aws_sns_topic.this.arn
}

output "subscription_arns" {
  description = "Subscription ARNs, by subscription key."
  value       = { for key, subscription in aws_sns_topic_subscription.sqs : key => subscription.arn }
}
