data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

resource "aws_kms_key" "this" {
  description             = var.description
  enable_key_rotation     = true
  deletion_window_in_days = var.deletion_window_in_days
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [{
        # The account administers the key and IAM policies grant its use, so each role that needs
        # it says so in its own policy, where a review of that role sees it.
        Sid       = "AccountAdministers"
        Effect    = "Allow"
        Principal = { AWS = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      }],
      # SNS decrypts an encrypted topic's messages to deliver them to its SQS subscribers. It names
      # the topic in the encryption context of each use of the key, which holds it to these topics.
      length(var.sns_topic_arns) == 0 ? [] : [{
        Sid       = "SnsDeliversTheTopics"
        Effect    = "Allow"
        Principal = { Service = "sns.amazonaws.com" }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource  = "*"
        Condition = { StringEquals = { "kms:EncryptionContext:aws:sns:topicArn" = var.sns_topic_arns } }
      }],
    )
  })
  tags = var.tags
}

resource "aws_kms_alias" "this" {
  name          = var.alias_name
  target_key_id = aws_kms_key.this.key_id
}
