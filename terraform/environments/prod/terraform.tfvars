environment = "prod"
aws_region  = "eu-west-1"

log_level           = "INFO"
log_retention_days  = 365
deletion_protection = true
tracing_mode        = "Active"

sqs_maximum_concurrency = 10

api_throttling = {
  burst_limit = 500
  rate_limit  = 250
}

alarms = {
  enabled      = true
  create_topic = true
}

# Live keys: the webhook ingress drops test-mode events (a live Connect endpoint also receives them).
extra_environment_variables = {
  STRIPE_LIVEMODE = "true"
}
