environment = "staging"
aws_region  = "eu-west-1"

log_level           = "INFO"
log_retention_days  = 30
deletion_protection = true

sqs_maximum_concurrency = 5

api_throttling = {
  burst_limit = 100
  rate_limit  = 50
}

alarms = {
  enabled      = true
  create_topic = true
}
