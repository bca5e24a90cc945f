# Metadata only (aws_secretsmanager_secret, not ..._secret_version): the values never enter the state.
data "aws_secretsmanager_secret" "this" {
  for_each = var.secrets

  name = "${var.name_prefix}-${each.value}"
}
