# A queue worker: reports partial batch failures, reads one secret, writes one table.
module "queue" {
  source = "../../../sqs-queue"

  name                       = "example-dev-work"
  visibility_timeout_seconds = 180
  dead_letter                = { name = "example-dev-work-dlq", max_receive_count = 5 }
}

module "table" {
  source = "../../../dynamodb-table"

  name     = "example-dev-results"
  hash_key = { name = "id", type = "S" }
}

data "aws_secretsmanager_secret" "api_key" {
  name = "example-dev-api-key"
}

module "worker" {
  source = "../.."

  function_name   = "example-dev-worker"
  package_path    = "${path.module}/worker.zip"
  timeout_seconds = 30
  environment_variables = {
    RESULTS_TABLE  = module.table.name
    API_KEY_SECRET = data.aws_secretsmanager_secret.api_key.name
  }
  dynamodb_tables = { results = { arn = module.table.arn } }
  secret_arns     = { api_key = data.aws_secretsmanager_secret.api_key.arn }
  sqs_event_source = {
    queue_arn           = module.queue.arn
    batch_size          = 10
    maximum_concurrency = 5
  }
}

output "function_name" {
  description = "Name of the worker."
  value       = module.worker.function_name
}
