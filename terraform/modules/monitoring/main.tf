resource "aws_sns_topic" "alarms" {
  #checkov:skip=CKV_AWS_26:Alarm notifications carry alarm names and states, no payment data; encrypting them needs a customer-managed key whose policy admits CloudWatch (the AWS-managed SNS key refuses it): alarm_topic_kms_key_id takes one.
  count = var.alarm_topic_arn == null && var.create_alarm_topic ? 1 : 0

  name              = "${var.name_prefix}-alarms"
  kms_master_key_id = var.alarm_topic_kms_key_id
  tags              = var.tags
}

resource "aws_sns_topic_subscription" "email" {
  count = length(aws_sns_topic.alarms) == 1 && var.alarm_email != null ? 1 : 0

  topic_arn = aws_sns_topic.alarms[0].arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

locals {
  alarm_actions = compact([var.alarm_topic_arn != null ? var.alarm_topic_arn : try(aws_sns_topic.alarms[0].arn, null)])
}

# Every alarm on one metric, by kind and key: they differ only in what they watch and when they fire.
locals {
  metric_alarms = merge(
    { for id, name in var.dead_letter_queues : "dead_letter/${id}" => {
      name        = "${name}-not-empty"
      description = "Messages are waiting in ${name}: events failed every retry. Inspect, fix, then redrive (docs/deploy.md)."
      namespace   = "AWS/SQS", metric = "ApproximateNumberOfMessagesVisible", dimensions = { QueueName = name }
      statistic   = "Maximum", period = 60, comparison = "GreaterThanThreshold", threshold = 0
    } },
    # A consumer that falls behind or stops shows first as an ageing backlog, long before the DLQ fills.
    { for id, name in var.queues : "queue_age/${id}" => {
      name        = "${name}-oldest-message"
      description = "The oldest message in ${name} is older than ${var.queue_age_threshold_seconds} s: its consumer is failing or cannot keep up."
      namespace   = "AWS/SQS", metric = "ApproximateAgeOfOldestMessage", dimensions = { QueueName = name }
      statistic   = "Maximum", period = 300, comparison = "GreaterThanThreshold", threshold = var.queue_age_threshold_seconds
    } },
    { for id, name in var.function_names : "errors/${id}" => {
      name        = "${name}-errors"
      description = "${name} failed invocations."
      namespace   = "AWS/Lambda", metric = "Errors", dimensions = { FunctionName = name }
      statistic   = "Sum", period = 300, comparison = "GreaterThanOrEqualToThreshold", threshold = var.function_error_threshold
    } },
    { for id, name in var.function_names : "throttles/${id}" => {
      name        = "${name}-throttles"
      description = "${name} was throttled: concurrency is exhausted."
      namespace   = "AWS/Lambda", metric = "Throttles", dimensions = { FunctionName = name }
      statistic   = "Sum", period = 300, comparison = "GreaterThanThreshold", threshold = 0
    } },
    { for id, timeout in var.function_timeouts : "duration/${id}" => {
      name        = "${var.function_names[id]}-near-timeout"
      description = "${var.function_names[id]} ran longer than 80% of its ${timeout} s timeout."
      namespace   = "AWS/Lambda", metric = "Duration", dimensions = { FunctionName = var.function_names[id] }
      statistic   = "Maximum", period = 300, comparison = "GreaterThanThreshold", threshold = timeout * 1000 * 0.8
    } },
    var.api == null ? {} : { "api_5xx" = {
      name        = "${var.name_prefix}-api-5xx"
      description = "The HTTP API answered 5xx."
      namespace   = "AWS/ApiGateway", metric = "5xx", dimensions = { ApiId = var.api.id, Stage = var.api.stage }
      statistic   = "Sum", period = 300, comparison = "GreaterThanOrEqualToThreshold", threshold = var.api_5xx_threshold
    } },
    var.webhook_signature_failures == null ? {} : { "webhook_signature_failures" = {
      name        = "${var.name_prefix}-webhook-signature-failures"
      description = "Webhook deliveries were refused for their signature: the signing secret is wrong or was rotated, or someone is calling the endpoint."
      namespace   = var.webhook_signature_failures.namespace, metric = "WebhookSignatureInvalid", dimensions = { service = var.webhook_signature_failures.service }
      statistic   = "Sum", period = 300, comparison = "GreaterThanOrEqualToThreshold", threshold = var.webhook_signature_failures.threshold
    } },
  )
}

resource "aws_cloudwatch_metric_alarm" "metric" {
  for_each = local.metric_alarms

  alarm_name          = each.value.name
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  period              = each.value.period
  evaluation_periods  = 1
  comparison_operator = each.value.comparison
  threshold           = each.value.threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "table_throttles" {
  for_each = var.tables

  alarm_name          = "${each.value}-throttled"
  alarm_description   = "Reads or writes on ${each.value} were throttled."
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = var.tags

  metric_query {
    id          = "throttles"
    expression  = "reads + writes"
    label       = "Throttled requests"
    return_data = true
  }

  metric_query {
    id = "reads"
    metric {
      namespace   = "AWS/DynamoDB"
      metric_name = "ReadThrottleEvents"
      dimensions  = { TableName = each.value }
      stat        = "Sum"
      period      = 300
    }
  }

  metric_query {
    id = "writes"
    metric {
      namespace   = "AWS/DynamoDB"
      metric_name = "WriteThrottleEvents"
      dimensions  = { TableName = each.value }
      stat        = "Sum"
      period      = 300
    }
  }
}

# The count above catches bursts; the rate catches a steady share of failures at any traffic.
resource "aws_cloudwatch_metric_alarm" "api_5xx_rate" {
  count = var.api == null ? 0 : 1

  alarm_name          = "${var.name_prefix}-api-5xx-rate"
  alarm_description   = "More than ${var.api_5xx_rate_percent}% of the HTTP API's answers were 5xx."
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.api_5xx_rate_percent
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = var.tags

  metric_query {
    id          = "rate"
    expression  = "IF(requests > 0, 100 * errors / requests, 0)"
    label       = "5xx share (%)"
    return_data = true
  }

  metric_query {
    id = "errors"
    metric {
      namespace   = "AWS/ApiGateway"
      metric_name = "5xx"
      dimensions  = { ApiId = var.api.id, Stage = var.api.stage }
      stat        = "Sum"
      period      = 300
    }
  }

  metric_query {
    id = "requests"
    metric {
      namespace   = "AWS/ApiGateway"
      metric_name = "Count"
      dimensions  = { ApiId = var.api.id, Stage = var.api.stage }
      stat        = "Sum"
      period      = 300
    }
  }
}
