# Looks up secrets an operator created (`aws secretsmanager create-secret --name example-dev-stripe-secret-key ...`).
module "secrets" {
  source = "../.."

  name_prefix = "example-dev"
  secrets = {
    stripe_secret_key     = "stripe-secret-key"
    stripe_webhook_secret = "stripe-webhook-secret"
  }
}

output "secret_arns" {
  description = "ARNs to grant secretsmanager:GetSecretValue on."
  value       = module.secrets.arns
}
