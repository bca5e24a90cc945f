locals {
  prefix = "${var.project_name}-${var.environment}"

  owned_tables = {
    for table in var.definition.tables : table.id => {
      name          = "${local.prefix}-${table.name}"
      env           = table.env
      hash_key      = table.hashKey
      range_key     = table.rangeKey
      ttl_attribute = table.ttlAttribute
      global_secondary_indexes = [
        for index in table.globalSecondaryIndexes : {
          name            = index.name
          hash_key        = index.hashKey
          range_key       = index.rangeKey
          projection_type = index.projection
        }
      ]
    } if !table.external
  }

  external_tables = {
    for table in var.definition.tables : table.id => {
      name = lookup(var.external_table_names, table.id, "${local.prefix}-${table.name}")
      env  = table.env
    } if table.external
  }

  queues = {
    for queue in var.definition.queues : queue.id => {
      name                       = "${local.prefix}-${queue.name}"
      env                        = queue.env
      visibility_timeout_seconds = queue.visibilityTimeoutSeconds
      message_retention_seconds  = queue.messageRetentionSeconds
      dead_letter = {
        name                      = "${local.prefix}-${queue.deadLetter.name}"
        max_receive_count         = queue.deadLetter.maxReceiveCount
        message_retention_seconds = queue.deadLetter.messageRetentionSeconds
      }
    }
  }

  topics = {
    for topic in var.definition.topics : topic.id => {
      name = "${local.prefix}-${topic.name}"
      env  = topic.env
      subscriptions = {
        for s in topic.subscriptions : s.queue => {
          queue                = s.queue
          raw_message_delivery = s.rawMessageDelivery
          filter_policy        = s.filterPolicy
        }
      }
    }
  }

  secrets = { for secret in var.definition.secrets : secret.id => secret.name }

  functions = {
    for fn in var.definition.functions : fn.id => {
      name            = "${local.prefix}-${fn.id}"
      entry           = fn.entry
      package_path    = "${var.package_dir}/${fn.id}.zip"
      timeout_seconds = fn.timeoutSeconds
      memory_mb       = fn.memoryMb
      routes          = fn.routes
      tables          = fn.tables
      table_access    = { for t in fn.tables : t => concat(["read"], contains(fn.readOnlyTables, t) ? [] : ["write"], contains(fn.scanTables, t) ? ["scan"] : []) }
      secrets         = fn.secrets
      queues          = fn.queues
      topics          = fn.topics
      event_source = fn.queue == null ? null : {
        queue                              = fn.queue.id
        batch_size                         = fn.queue.batchSize
        maximum_batching_window_in_seconds = fn.queue.maximumBatchingWindowSeconds
      }
    }
  }

  routes = merge([for fn in var.definition.functions : { for route in fn.routes : route => fn.id }]...)

  # Every function receives the same environment, as in the local stack: names and ids only, never
  # secret values (functions derive secret ids from PROJECT_NAME and ENVIRONMENT and read them at
  # cold start). Permissions, not configuration, decide what a function may touch.
  static_environment = merge(
    {
      PROJECT_NAME                 = var.project_name
      ENVIRONMENT                  = var.environment
      SECRETS_SOURCE               = "aws"
      SECRET_CACHE_TTL_SECONDS     = tostring(var.secret_cache_ttl_seconds)
      POWERTOOLS_SERVICE_NAME      = "stripe-service"
      POWERTOOLS_METRICS_NAMESPACE = var.metrics_namespace
      LOG_LEVEL                    = var.log_level
    },
    { for key, value in {
      JWT_JWKS_URL = var.jwt.jwks_url
      JWT_ISSUER   = var.jwt.issuer
      JWT_AUDIENCE = var.jwt.audience
    } : key => value if value != null },
    { for id, table in local.owned_tables : table.env => table.name },
    { for id, table in local.external_tables : table.env => table.name },
  )
}
