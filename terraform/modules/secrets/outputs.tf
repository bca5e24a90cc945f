output "arns" {
  description = "Secret ARNs, by key."
  value       = { for key, secret in data.aws_secretsmanager_secret.this : key => secret.arn }
}

output "names" {
  description = "Secret names (what the functions pass as SecretId), by key."
  value       = { for key, secret in data.aws_secretsmanager_secret.this : key => secret.name }
}
