data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

resource "aws_kms_key" "this" {
  description             = var.description
  enable_key_rotation     = true
  deletion_window_in_days = var.deletion_window_in_days
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [{
        # The account administers the key; the deploying role manages it through its IAM policy.
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
      # Each role that uses the key is named here rather than granted by the key's alias in its own
      # policy: alias-based authorization takes up to five minutes to see a new alias, so a first
      # deploy's calls could be refused, while a key policy that names a same-account role needs no
      # IAM statement at all. Only through the services named, never by a direct call.
      [for id, grant in var.role_grants : {
        Sid       = "${replace(title(replace(id, "/[-_]/", " ")), " ", "")}UsesTheKey"
        Effect    = "Allow"
        Principal = { AWS = grant.role_arn }
        Action    = grant.read_only ? ["kms:Decrypt", "kms:DescribeKey"] : ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"]
        Resource  = "*"
        Condition = { StringEquals = { "kms:ViaService" = [for service in grant.via_services : "${service}.${data.aws_region.current.name}.amazonaws.com"] } }
      }],
    )
  })
  tags = var.tags
}

resource "aws_kms_alias" "this" {
  name          = var.alias_name
  target_key_id = aws_kms_key.this.key_id
}
