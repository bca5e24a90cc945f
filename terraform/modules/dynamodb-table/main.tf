locals {
  # Every key attribute of the table and its indexes must be declared exactly once.
  key_attributes = concat(
    [var.hash_key],
    var.range_key == null ? [] : [var.range_key],
    flatten([
      for index in var.global_secondary_indexes :
      concat([index.hash_key], index.range_key == null ? [] : [index.range_key])
    ]),
  )
  attributes = { for attribute in local.key_attributes : attribute.name => attribute.type... }
}

resource "aws_dynamodb_table" "this" {
  name                        = var.name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = var.hash_key.name
  range_key                   = var.range_key == null ? null : var.range_key.name
  deletion_protection_enabled = var.deletion_protection

  dynamic "attribute" {
    for_each = local.attributes
    content {
      name = attribute.key
      type = attribute.value[0]
    }
  }

  dynamic "global_secondary_index" {
    for_each = var.global_secondary_indexes
    content {
      name            = global_secondary_index.value.name
      hash_key        = global_secondary_index.value.hash_key.name
      range_key       = global_secondary_index.value.range_key == null ? null : global_secondary_index.value.range_key.name
      projection_type = global_secondary_index.value.projection_type
    }
  }

  dynamic "ttl" {
    for_each = var.ttl_attribute == null ? [] : [var.ttl_attribute]
    content {
      attribute_name = ttl.value
      enabled        = true
    }
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = alltrue([for name, types in local.attributes : length(distinct(types)) == 1])
      error_message = "An attribute used by several keys must have the same type everywhere."
    }
  }
}
