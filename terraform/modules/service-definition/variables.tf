variable "project_name" {
  description = "Project name, the first part of every physical name."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.project_name))
    error_message = "project_name must be 3-32 lowercase letters, digits and '-', starting with a letter."
  }
}

variable "environment" {
  description = "Environment name, the second part of every physical name."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,14}[a-z0-9]$", var.environment))
    error_message = "environment must be 2-16 lowercase letters, digits and '-', starting with a letter."
  }
}

variable "definition" {
  description = "The service's resource definition: services/stripe-service/resources.json, decoded with jsondecode(). Field names are kept as in the file."
  type = object({
    tables = list(object({
      id           = string
      name         = string
      env          = string
      external     = optional(bool, false)
      hashKey      = object({ name = string, type = string })
      rangeKey     = optional(object({ name = string, type = string }))
      ttlAttribute = optional(string)
      globalSecondaryIndexes = optional(list(object({
        name       = string
        hashKey    = object({ name = string, type = string })
        rangeKey   = optional(object({ name = string, type = string }))
        projection = optional(string, "ALL")
      })), [])
    }))
    queues = list(object({
      id                       = string
      name                     = string
      env                      = string
      visibilityTimeoutSeconds = number
      messageRetentionSeconds  = number
      deadLetter = object({
        name                    = string
        maxReceiveCount         = number
        messageRetentionSeconds = number
      })
    }))
    topics = list(object({
      id   = string
      name = string
      env  = string
      subscriptions = list(object({
        queue              = string
        rawMessageDelivery = bool
        filterPolicy       = optional(map(list(string)))
      }))
    }))
    secrets = list(object({
      id   = string
      name = string
    }))
    functions = list(object({
      id             = string
      entry          = string
      timeoutSeconds = number
      memoryMb       = number
      routes         = optional(list(string), [])
      queue = optional(object({
        id                           = string
        batchSize                    = number
        maximumBatchingWindowSeconds = optional(number, 0)
      }))
      tables         = list(string)
      readOnlyTables = optional(list(string), [])
      scanTables     = optional(list(string), [])
      queues         = optional(list(string), [])
      topics         = optional(list(string), [])
      secrets        = list(string)
    }))
  })

  validation {
    condition = alltrue([
      for fn in var.definition.functions : alltrue(concat(
        [for t in fn.tables : contains(var.definition.tables[*].id, t)],
        [for s in fn.secrets : contains(var.definition.secrets[*].id, s)],
        [for q in fn.queues : contains(var.definition.queues[*].id, q)],
        [for t in fn.topics : contains(var.definition.topics[*].id, t)],
        fn.queue == null ? [] : [contains(var.definition.queues[*].id, fn.queue.id)],
      ))
    ])
    error_message = "A function names a table, secret, queue or topic the definition does not declare."
  }

  validation {
    condition     = alltrue([for fn in var.definition.functions : alltrue([for t in concat(fn.readOnlyTables, fn.scanTables) : contains(fn.tables, t)])])
    error_message = "A function's readOnlyTables and scanTables must be among its tables."
  }

  validation {
    condition = alltrue(flatten([
      for topic in var.definition.topics : [for s in topic.subscriptions : contains(var.definition.queues[*].id, s.queue)]
    ]))
    error_message = "A topic subscription names a queue the definition does not declare."
  }

  validation {
    condition = alltrue([
      for ids in [var.definition.tables[*].id, var.definition.queues[*].id, var.definition.topics[*].id, var.definition.secrets[*].id, var.definition.functions[*].id] :
      length(distinct(ids)) == length(ids)
    ])
    error_message = "Ids must be unique within tables, queues, topics, secrets and functions."
  }

  validation {
    condition     = length(distinct(flatten([for t in var.definition.topics : t.subscriptions[*].queue]))) == length(flatten([for t in var.definition.topics : t.subscriptions[*].queue]))
    error_message = "A queue is subscribed more than once; a queue has one queue policy, so it may take one topic subscription."
  }

  validation {
    # AWS's advice for SQS event sources: a message must stay invisible while its batch may still be
    # gathering (the batching window) and while the function and up to five retries of it run.
    condition = alltrue([
      for fn in var.definition.functions : fn.queue == null ? true : alltrue([
        for queue in var.definition.queues : queue.visibilityTimeoutSeconds >= 6 * fn.timeoutSeconds + coalesce(fn.queue.maximumBatchingWindowSeconds, 0) if queue.id == fn.queue.id
      ])
    ])
    error_message = "A queue's visibility timeout must be at least six times the timeout of the function it triggers plus its batching window."
  }

  validation {
    condition     = alltrue([for fn in var.definition.functions : fn.queue == null ? true : coalesce(fn.queue.maximumBatchingWindowSeconds, 0) >= 0 && coalesce(fn.queue.maximumBatchingWindowSeconds, 0) <= 300])
    error_message = "A function's maximumBatchingWindowSeconds must be from 0 to 300."
  }

  validation {
    # A message moved to a dead-letter queue keeps its first enqueue time, so the dead-letter queue
    # must keep it longer than the source did, or it may expire there almost at once.
    condition     = alltrue([for queue in var.definition.queues : queue.deadLetter.messageRetentionSeconds > queue.messageRetentionSeconds])
    error_message = "A dead-letter queue must keep messages longer than its source queue (messageRetentionSeconds)."
  }

  validation {
    condition     = length(distinct(flatten(var.definition.functions[*].routes))) == length(flatten(var.definition.functions[*].routes))
    error_message = "A route is declared by more than one function."
  }
}

variable "external_table_names" {
  description = "Physical names of the tables other services own (`external: true`), by table id. A table left out is assumed to follow the naming scheme, `{project}-{environment}-{name}`."
  type        = map(string)
  default     = {}
}

variable "package_dir" {
  description = "Folder holding the `npm run build` zips, one `<function id>.zip` per function."
  type        = string
  default     = "dist"
}

variable "log_level" {
  description = "LOG_LEVEL of every function."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["DEBUG", "INFO", "WARN", "ERROR"], var.log_level)
    error_message = "log_level must be DEBUG, INFO, WARN or ERROR."
  }
}

variable "metrics_namespace" {
  description = "POWERTOOLS_METRICS_NAMESPACE of every function."
  type        = string
  default     = "StripeService"

  validation {
    condition     = can(regex("^[A-Za-z0-9./_#:-]{1,255}$", var.metrics_namespace))
    error_message = "metrics_namespace must be a valid CloudWatch namespace."
  }
}

variable "secret_cache_ttl_seconds" {
  description = "SECRET_CACHE_TTL_SECONDS: how long a function keeps a secret value before reading it again."
  type        = number
  default     = 300

  validation {
    condition     = var.secret_cache_ttl_seconds >= 0 && var.secret_cache_ttl_seconds <= 86400 && floor(var.secret_cache_ttl_seconds) == var.secret_cache_ttl_seconds
    error_message = "secret_cache_ttl_seconds must be a whole number from 0 to 86400."
  }
}

variable "jwt" {
  description = "Optional asymmetric JWT verification: JWT_JWKS_URL, JWT_ISSUER, JWT_AUDIENCE (null leaves a variable out)."
  type = object({
    jwks_url = optional(string)
    issuer   = optional(string)
    audience = optional(string)
  })
  default = {}

  validation {
    condition     = var.jwt.jwks_url == null || can(regex("^https://", coalesce(var.jwt.jwks_url, "x")))
    error_message = "jwt.jwks_url must be an https URL."
  }
}
