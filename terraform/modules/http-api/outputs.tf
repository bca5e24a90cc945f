output "id" {
  description = "API id."
  value       = aws_apigatewayv2_api.this.id
}

output "endpoint" {
  description = "Base URL of the API (the `$default` stage serves at the root)."
  value       = aws_apigatewayv2_stage.this.invoke_url
}

output "execution_arn" {
  description = "Execution ARN, for Lambda permissions."
  value       = aws_apigatewayv2_api.this.execution_arn
}

output "stage_name" {
  description = "Stage name."
  value       = aws_apigatewayv2_stage.this.name
}

output "access_log_group_name" {
  description = "CloudWatch log group of the access logs."
  value       = aws_cloudwatch_log_group.access.name
}

output "route_keys" {
  description = "Every route key the API serves."
  value       = sort(keys(aws_apigatewayv2_route.this))
}
