environment = "dev"
aws_region  = "eu-west-1"

log_level           = "DEBUG"
log_retention_days  = 14
deletion_protection = false

api_throttling = {
  burst_limit = 50
  rate_limit  = 25
}

alarms = {
  enabled = true
}
