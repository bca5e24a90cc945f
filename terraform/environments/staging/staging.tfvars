# The staging stack: only what differs from the defaults of modules/stripe-service.
environment = "staging"

settings = {
  log_retention_days      = 30
  sqs_maximum_concurrency = 5
  api_throttling          = { burst_limit = 100, rate_limit = 50 }
}
