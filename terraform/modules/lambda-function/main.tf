data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  # Reads reach the indexes too; writes and scans only the tables given them.
  dynamodb_statements = {
    DynamoDBRead = {
      actions   = ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"]
      resources = flatten([for table in values(var.dynamodb_tables) : concat([table.arn], table.index_arns)])
    }
    DynamoDBWrite = {
      actions   = ["dynamodb:PutItem", "dynamodb:BatchWriteItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"]
      resources = [for table in values(var.dynamodb_tables) : table.arn if contains(table.access, "write")]
    }
    DynamoDBScan = {
      actions   = ["dynamodb:Scan"]
      resources = [for table in values(var.dynamodb_tables) : table.arn if contains(table.access, "scan")]
    }
  }

  # Built from known parts rather than read from the log group, so that the policy below is known
  # at plan time and a reviewer sees every statement before the first apply.
  log_group_name = "/aws/lambda/${var.function_name}"
  log_group_arn  = "arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:${local.log_group_name}"
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = var.function_name
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

resource "aws_cloudwatch_log_group" "this" {
  #checkov:skip=CKV_AWS_158:CloudWatch Logs encrypts every log group at rest; kms_key_id takes a customer-managed key where an account requires one.
  #checkov:skip=CKV_AWS_338:Retention is a validated input, a year by default and in prod; dev and staging keep less on purpose.
  name              = local.log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn
  tags              = var.tags
}

# One inline policy that names every resource it can. Two wildcards remain, both unavoidable: the
# log streams of the function's own log group (AWS names them at run time) and X-Ray, whose
# PutTraceSegments and PutTelemetryRecords support no resource-level permissions at all. A
# customer-managed key of the tables or topics is not granted here: its key policy names the role.
data "aws_iam_policy_document" "this" {
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${local.log_group_arn}:*"]
  }

  dynamic "statement" {
    for_each = { for sid, st in local.dynamodb_statements : sid => st if length(st.resources) > 0 }
    content {
      sid       = statement.key
      actions   = statement.value.actions
      resources = statement.value.resources
    }
  }

  dynamic "statement" {
    for_each = length(var.secret_arns) == 0 ? [] : [values(var.secret_arns)]
    content {
      sid       = "Secrets"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = statement.value
    }
  }

  dynamic "statement" {
    for_each = length(var.sqs_send_queue_arns) == 0 ? [] : [values(var.sqs_send_queue_arns)]
    content {
      sid       = "SendToQueues"
      actions   = ["sqs:SendMessage", "sqs:GetQueueAttributes"]
      resources = statement.value
    }
  }

  dynamic "statement" {
    for_each = length(var.sns_publish_topic_arns) == 0 ? [] : [values(var.sns_publish_topic_arns)]
    content {
      sid       = "PublishToTopics"
      actions   = ["sns:Publish"]
      resources = statement.value
    }
  }

  dynamic "statement" {
    for_each = var.sqs_event_source == null ? [] : [var.sqs_event_source.queue_arn]
    content {
      sid       = "ConsumeEventSource"
      actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = var.policy_statements
    content {
      sid       = statement.value.sid
      actions   = statement.value.actions
      resources = statement.value.resources
    }
  }

  dynamic "statement" {
    for_each = var.tracing_mode == "Active" ? [1] : []
    content {
      sid       = "Tracing"
      actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
      resources = ["*"]
    }
  }
}

resource "aws_iam_role_policy" "this" {
  name   = "${var.function_name}-access"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.this.json
}

resource "aws_lambda_function" "this" {
  #checkov:skip=CKV_AWS_116:Invoked synchronously by API Gateway or through an SQS event source whose queue has its own DLQ; a function DLQ only serves asynchronous invocations, which nothing makes.
  #checkov:skip=CKV_AWS_117:Reaches only public AWS endpoints and Stripe; there is nothing in a VPC to reach, and a VPC would add NAT costs without isolating anything.
  #checkov:skip=CKV_AWS_173:The environment holds names and ids only, never secrets (read from Secrets Manager at cold start); Lambda encrypts it at rest with its AWS-managed key.
  #checkov:skip=CKV_AWS_272:code_signing_config_arn takes a signing configuration where an account uses AWS Signer; CI builds each zip once and promotes it by hash.
  #checkov:skip=CKV_AWS_50:X-Ray tracing is the validated input tracing_mode (the stack's settings.tracing_mode): Active in prod; dev and staging keep PassThrough on purpose.
  function_name                  = var.function_name
  description                    = var.description
  role                           = aws_iam_role.this.arn
  filename                       = var.package_path
  source_code_hash               = filebase64sha256(var.package_path)
  handler                        = var.handler
  runtime                        = var.runtime
  architectures                  = [var.architecture]
  memory_size                    = var.memory_mb
  timeout                        = var.timeout_seconds
  reserved_concurrent_executions = var.reserved_concurrency
  code_signing_config_arn        = var.code_signing_config_arn

  environment {
    variables = var.environment_variables
  }

  logging_config {
    log_format            = "JSON"
    log_group             = aws_cloudwatch_log_group.this.name
    application_log_level = var.log_level
    # INFO keeps the platform's REPORT lines (duration, memory, cold start).
    system_log_level = "INFO"
  }

  tracing_config {
    mode = var.tracing_mode
  }

  tags = var.tags

  # The role's permissions must exist before the first cold start reads a secret or a table.
  depends_on = [aws_iam_role_policy.this, aws_cloudwatch_log_group.this]
}

resource "aws_lambda_event_source_mapping" "sqs" {
  count = var.sqs_event_source == null ? 0 : 1

  event_source_arn                   = var.sqs_event_source.queue_arn
  function_name                      = aws_lambda_function.this.arn
  batch_size                         = var.sqs_event_source.batch_size
  maximum_batching_window_in_seconds = var.sqs_event_source.maximum_batching_window_in_seconds
  function_response_types            = ["ReportBatchItemFailures"]

  dynamic "scaling_config" {
    for_each = try(var.sqs_event_source.maximum_concurrency, null) == null ? [] : [var.sqs_event_source.maximum_concurrency]
    content {
      maximum_concurrency = scaling_config.value
    }
  }

  depends_on = [aws_iam_role_policy.this]
}
