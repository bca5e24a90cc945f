# The service from a definition written inline, in the shape of services/stripe-service/resources.json
# (the environments read that file instead): one table, one queue feeding a worker, one topic with a
# filtered subscription, one secret, an API function and a worker function.
locals {
  definition = {
    tables = [
      {
        id           = "events"
        name         = "events"
        env          = "EVENTS_TABLE"
        hashKey      = { name = "eventId", type = "S" }
        ttlAttribute = "ttl"
      },
      {
        id       = "products"
        name     = "products"
        env      = "PRODUCTS_TABLE"
        external = true
        hashKey  = { name = "productId", type = "S" }
      },
    ]
    queues = [
      {
        id                       = "work"
        name                     = "work"
        env                      = "WORK_QUEUE_URL"
        visibilityTimeoutSeconds = 180
        messageRetentionSeconds  = 345600
        deadLetter               = { name = "work-dlq", maxReceiveCount = 5, messageRetentionSeconds = 1209600 }
      },
    ]
    topics = [
      {
        id   = "billing_events"
        name = "billing-events"
        env  = "BILLING_EVENTS_TOPIC_ARN"
        subscriptions = [
          { queue = "work", rawMessageDelivery = true, filterPolicy = { type = ["payment.failed"] } },
        ]
      },
    ]
    secrets = [{ id = "stripe_secret_key", name = "stripe-secret-key" }]
    functions = [
      {
        id             = "ingress"
        entry          = "services/example/src/handlers/ingress/index.ts"
        timeoutSeconds = 10
        memoryMb       = 256
        routes         = ["POST /stripe/ingress"]
        tables         = ["events"]
        queues         = ["work"]
        secrets        = ["stripe_secret_key"]
      },
      {
        id             = "worker"
        entry          = "services/example/src/handlers/worker/index.ts"
        timeoutSeconds = 30
        memoryMb       = 512
        queue          = { id = "work", batchSize = 10 }
        tables         = ["events", "products"]
        topics         = ["billing_events"]
        secrets        = ["stripe_secret_key"]
      },
    ]
  }
}

module "stripe_service" {
  source = "../.."

  project_name = "example"
  environment  = "dev"
  definition   = local.definition
  package_dir  = "${path.module}/dist"

  settings = {
    external_table_names    = { products = "catalog-dev-products" }
    deletion_protection     = false
    sqs_maximum_concurrency = 5
    alarms                  = { create_topic = true }
  }
}

output "api_endpoint" {
  description = "Base URL of the API."
  value       = module.stripe_service.api_endpoint
}
