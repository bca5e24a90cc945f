# The prod stack: only what differs from the defaults of modules/stripe-service. Logs are kept a
# year, the default, as PCI DSS 10.5.1 asks of a payments service.
environment = "prod"

settings = {
  tracing_mode            = "Active"
  sqs_maximum_concurrency = 10
  api_throttling          = { burst_limit = 500, rate_limit = 250 }

  # Live keys: the webhook ingress drops test-mode events (a live Connect endpoint also receives them).
  extra_environment_variables = { STRIPE_LIVEMODE = "true" }
}
