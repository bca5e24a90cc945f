output "name" {
  description = "Queue name."
  value       = aws_sqs_queue.this.name
}

output "arn" {
  description = "Queue ARN."
  value       = aws_sqs_queue.this.arn
}

output "url" {
  description = "Queue URL (what the SDK calls the queue id)."
  value       = aws_sqs_queue.this.url
}

output "visibility_timeout_seconds" {
  description = "Visibility timeout of the queue."
  value       = aws_sqs_queue.this.visibility_timeout_seconds
}

output "dead_letter_name" {
  description = "Dead-letter queue name."
  value       = aws_sqs_queue.dead_letter.name
}

output "dead_letter_arn" {
  description = "Dead-letter queue ARN."
  value       = aws_sqs_queue.dead_letter.arn
}

output "dead_letter_url" {
  description = "Dead-letter queue URL."
  value       = aws_sqs_queue.dead_letter.url
}

output "max_receive_count" {
  description = "Receives before a message moves to the dead-letter queue."
  value       = var.dead_letter.max_receive_count
}
