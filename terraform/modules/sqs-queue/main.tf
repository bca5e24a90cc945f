resource "aws_sqs_queue" "dead_letter" {
  name                              = var.dead_letter.name
  message_retention_seconds         = var.dead_letter.message_retention_seconds
  sqs_managed_sse_enabled           = var.kms_master_key_id == null ? true : null
  kms_master_key_id                 = var.kms_master_key_id
  kms_data_key_reuse_period_seconds = var.kms_master_key_id == null ? null : 300
  tags                              = var.tags

  lifecycle {
    # A moved message keeps its first enqueue time: with no longer a retention here than at the
    # source, it could expire in the dead-letter queue almost as soon as it arrives.
    precondition {
      condition     = var.dead_letter.message_retention_seconds > var.message_retention_seconds
      error_message = "The dead-letter queue must keep messages longer than the source queue."
    }
  }
}

resource "aws_sqs_queue" "this" {
  name                              = var.name
  visibility_timeout_seconds        = var.visibility_timeout_seconds
  message_retention_seconds         = var.message_retention_seconds
  receive_wait_time_seconds         = var.receive_wait_time_seconds
  sqs_managed_sse_enabled           = var.kms_master_key_id == null ? true : null
  kms_master_key_id                 = var.kms_master_key_id
  kms_data_key_reuse_period_seconds = var.kms_master_key_id == null ? null : 300
  tags                              = var.tags
}

# Declared apart from the queue so the two queues do not reference each other in one resource.
resource "aws_sqs_queue_redrive_policy" "this" {
  queue_url = aws_sqs_queue.this.id
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dead_letter.arn
    maxReceiveCount     = var.dead_letter.max_receive_count
  })
}

# Only this queue may use the dead-letter queue, which keeps a redrive from landing in the wrong place.
resource "aws_sqs_queue_redrive_allow_policy" "dead_letter" {
  queue_url = aws_sqs_queue.dead_letter.id
  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.this.arn]
  })
}
