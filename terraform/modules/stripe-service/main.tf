module "definition" {
  source = "../service-definition"

  project_name         = var.project_name
  environment          = var.environment
  definition           = var.definition
  external_table_names = var.settings.external_table_names
  package_dir          = var.package_dir

  log_level                = var.settings.log_level
  metrics_namespace        = var.settings.metrics_namespace
  secret_cache_ttl_seconds = var.settings.secret_cache_ttl_seconds
  jwt                      = var.settings.jwt
}

locals {
  def = module.definition

  # The webhook's route, once a function serves it; the webhook URL and its alarm follow it.
  webhook_route = contains(keys(module.definition.routes), "POST /stripe/webhook")

  # With an OIDC issuer configured, API Gateway checks tokens too on the routes of the functions
  # that authenticate callers (those that read the JWT secret).
  jwt_authorizer = var.settings.jwt.jwks_url == null || var.settings.jwt.issuer == null || var.settings.jwt.audience == null ? null : {
    issuer   = var.settings.jwt.issuer
    audience = [var.settings.jwt.audience]
    routes   = toset([for route, id in module.definition.routes : route if contains(module.definition.functions[id].secrets, "jwt_access_token_secret")])
  }

  tags = merge(var.settings.tags, {
    Project     = var.project_name
    Environment = var.environment
    Service     = "stripe-service"
    ManagedBy   = "terraform"
  })
}

module "tables" {
  source   = "../dynamodb-table"
  for_each = local.def.tables

  name                     = each.value.name
  hash_key                 = each.value.hash_key
  range_key                = each.value.range_key
  ttl_attribute            = each.value.ttl_attribute
  global_secondary_indexes = each.value.global_secondary_indexes
  point_in_time_recovery   = true
  deletion_protection      = var.settings.deletion_protection
  kms_key_arn              = local.kms_arn
  tags                     = local.tags
}

# Owned by the product and pricing services: read, never created.
data "aws_dynamodb_table" "external" {
  for_each = local.def.external_tables

  name = each.value.name
}

module "queues" {
  source   = "../sqs-queue"
  for_each = local.def.queues

  name                       = each.value.name
  visibility_timeout_seconds = each.value.visibility_timeout_seconds
  message_retention_seconds  = each.value.message_retention_seconds
  dead_letter                = each.value.dead_letter
  tags                       = local.tags
}

module "topics" {
  source   = "../sns-topic"
  for_each = local.def.topics

  name              = each.value.name
  kms_master_key_id = local.kms_arn
  sqs_subscriptions = {
    for queue_id, s in each.value.subscriptions : queue_id => {
      queue_arn            = module.queues[queue_id].arn
      queue_url            = module.queues[queue_id].url
      raw_message_delivery = s.raw_message_delivery
      filter_policy        = s.filter_policy == null ? null : jsonencode(s.filter_policy)
    }
  }
  tags = local.tags
}

module "secrets" {
  source = "../secrets"

  name_prefix = local.def.name_prefix
  secrets     = local.def.secrets
}

data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  # ARNs built from names, not read from the resources: the functions' policies are then known at
  # plan time, so the plan shows every statement of every role before anything is created.
  arn_prefix = "arn:${data.aws_partition.current.partition}:%s:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}"
  table_arns = { for id, table in local.def.tables : id => "${format(local.arn_prefix, "dynamodb")}:table/${table.name}" }
  queue_arns = { for id, queue in local.def.queues : id => "${format(local.arn_prefix, "sqs")}:${queue.name}" }
  topic_arns = { for id, topic in local.def.topics : id => "${format(local.arn_prefix, "sns")}:${topic.name}" }

  table_access = merge(
    {
      for id, table in local.def.tables : id => {
        arn        = local.table_arns[id]
        index_arns = [for index in table.global_secondary_indexes : "${local.table_arns[id]}/index/${index.name}"]
      }
    },
    # Another service's table may gain indexes; its ARN is read at plan time.
    { for id, table in data.aws_dynamodb_table.external : id => { arn = table.arn, index_arns = ["${table.arn}/index/*"] } },
  )

  kms_services = {
    for id, fn in local.def.functions : id => concat(
      length(setintersection(fn.tables, keys(local.def.tables))) > 0 ? ["dynamodb"] : [],
      length(fn.topics) > 0 ? ["sns"] : [],
    )
  }

  environment_variables = merge(
    var.settings.extra_environment_variables,
    local.def.static_environment,
    { for id, queue in local.def.queues : queue.env => module.queues[id].url },
    # Built from the name, not read from the topic: the key policy names the functions' roles, so the
    # functions come before the key and cannot wait on a topic encrypted with it.
    { for id, topic in local.def.topics : topic.env => local.topic_arns[id] },
  )
}

module "functions" {
  source   = "../lambda-function"
  for_each = local.def.functions

  function_name         = each.value.name
  description           = "stripe-service ${each.key} (${each.value.entry})"
  package_path          = each.value.package_path
  memory_mb             = each.value.memory_mb
  timeout_seconds       = each.value.timeout_seconds
  environment_variables = local.environment_variables
  log_level             = var.settings.log_level
  log_retention_days    = var.settings.log_retention_days
  tracing_mode          = var.settings.tracing_mode

  dynamodb_tables        = { for id in each.value.tables : id => merge(local.table_access[id], { access = each.value.table_access[id] }) }
  secret_arns            = { for id in each.value.secrets : id => module.secrets.arns[id] }
  sqs_send_queue_arns    = { for id in each.value.queues : id => local.queue_arns[id] }
  sns_publish_topic_arns = { for id in each.value.topics : id => local.topic_arns[id] }
  policy_statements      = lookup(var.settings.function_policy_statements, each.key, [])

  sqs_event_source = each.value.event_source == null ? null : {
    queue_arn                          = local.queue_arns[each.value.event_source.queue]
    batch_size                         = each.value.event_source.batch_size
    maximum_batching_window_in_seconds = each.value.event_source.maximum_batching_window_in_seconds
    maximum_concurrency                = var.settings.sqs_maximum_concurrency
  }

  tags = local.tags
}

module "api" {
  source = "../http-api"

  name        = "${local.def.name_prefix}-stripe-service"
  description = "Stripe payments service"
  functions = {
    for id, fn in module.functions : id => {
      function_name = fn.function_name
      invoke_arn    = fn.invoke_arn
    } if contains(values(local.def.routes), id)
  }
  routes                    = local.def.routes
  jwt_authorizer            = local.jwt_authorizer
  throttling_burst_limit    = var.settings.api_throttling.burst_limit
  throttling_rate_limit     = var.settings.api_throttling.rate_limit
  cors_allow_origins        = var.settings.cors_allow_origins
  access_log_retention_days = var.settings.log_retention_days
  tags                      = local.tags
}

module "monitoring" {
  source = "../monitoring"
  count  = var.settings.alarms.enabled ? 1 : 0

  name_prefix        = local.def.name_prefix
  alarm_topic_arn    = var.settings.alarms.topic_arn
  create_alarm_topic = var.settings.alarms.create_topic
  alarm_email        = var.settings.alarms.email
  dead_letter_queues = { for id, queue in module.queues : id => queue.dead_letter_name }
  queues             = { for id, queue in module.queues : id => queue.name }
  function_names     = { for id, fn in module.functions : id => fn.function_name }
  function_timeouts  = { for id, fn in local.def.functions : id => fn.timeout_seconds }
  tables             = { for id, table in module.tables : id => table.name }
  api                = { id = module.api.id, stage = module.api.stage_name }
  webhook_signature_failures = local.webhook_route ? {
    namespace = var.settings.metrics_namespace
    service   = "stripe-service"
  } : null
  tags = local.tags
}

# Checks warn at plan time instead of failing it.
check "function_policy_statements_name_functions" {
  assert {
    condition     = alltrue([for id in keys(var.settings.function_policy_statements) : contains(keys(local.def.functions), id)])
    error_message = "function_policy_statements names a function that resources.json does not declare."
  }
}

# The module's own variables are merged last and win; this only warns that a setting was ignored.
check "extra_environment_variables_do_not_override" {
  assert {
    condition     = length(setintersection(keys(var.settings.extra_environment_variables), keys(local.def.static_environment))) == 0
    error_message = "extra_environment_variables names a variable the module sets; the module's value is used."
  }
}
