output "name" {
  description = "Table name."
  value       = aws_dynamodb_table.this.name
}

output "arn" {
  description = "Table ARN."
  value       = aws_dynamodb_table.this.arn
}

output "index_arns" {
  description = "ARNs of the global secondary indexes, by name (for IAM Query permissions)."
  value       = { for index in var.global_secondary_indexes : index.name => "${aws_dynamodb_table.this.arn}/index/${index.name}" }
}

output "stream_arn" {
  description = "Stream ARN (null: streams are not enabled by this module)."
  value       = aws_dynamodb_table.this.stream_arn
}
