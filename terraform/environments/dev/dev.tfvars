# The dev stack: only what differs from the defaults of modules/stripe-service.
environment = "dev"

settings = {
  log_level          = "DEBUG"
  log_retention_days = 14
  # So that `terraform destroy` removes the tables too (docs/deploy.md).
  deletion_protection = false
  api_throttling      = { burst_limit = 50, rate_limit = 25 }
}
