resource "aws_apigatewayv2_api" "this" {
  name          = var.name
  description   = var.description
  protocol_type = "HTTP"

  dynamic "cors_configuration" {
    for_each = length(var.cors_allow_origins) == 0 ? [] : [var.cors_allow_origins]
    content {
      allow_origins = cors_configuration.value
      allow_methods = ["GET", "POST", "OPTIONS"]
      allow_headers = ["authorization", "content-type", "idempotency-key"]
      max_age       = 600
    }
  }

  tags = var.tags
}

# One integration per function, however many routes point at it.
resource "aws_apigatewayv2_integration" "lambda" {
  for_each = var.functions

  api_id                 = aws_apigatewayv2_api.this.id
  integration_type       = "AWS_PROXY"
  integration_uri        = each.value.invoke_arn
  payload_format_version = "2.0"
  timeout_milliseconds   = var.integration_timeout_milliseconds
}

resource "aws_apigatewayv2_route" "this" {
  #checkov:skip=CKV_AWS_309:Authentication happens in the functions: JWTs verified by the service (HS256 tokens cannot use an API Gateway authorizer; with a JWKS the JWT authorizer below is attached too), the webhook by its Stripe signature; health and the OpenAPI document are public.
  for_each = var.routes

  api_id    = aws_apigatewayv2_api.this.id
  route_key = each.key
  target    = "integrations/${aws_apigatewayv2_integration.lambda[each.value].id}"

  authorization_type = local.jwt_route[each.key] ? "JWT" : "NONE"
  authorizer_id      = local.jwt_route[each.key] ? aws_apigatewayv2_authorizer.jwt[0].id : null
}

locals {
  jwt_route = { for route in keys(var.routes) : route => var.jwt_authorizer != null && contains(try(var.jwt_authorizer.routes, []), route) }
}

# Defence in depth where tokens come from an OIDC issuer: API Gateway refuses a bad token before a
# function runs. The functions verify every token all the same (HS256 tokens, signed with a shared
# secret, cannot be checked by an API Gateway authorizer at all).
resource "aws_apigatewayv2_authorizer" "jwt" {
  count = var.jwt_authorizer == null ? 0 : 1

  api_id           = aws_apigatewayv2_api.this.id
  name             = "${var.name}-jwt"
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]

  jwt_configuration {
    issuer   = var.jwt_authorizer.issuer
    audience = var.jwt_authorizer.audience
  }
}

# One permission per route, so that a function can be invoked through its own routes only, not
# through any route of the API. Path parameters ({id}) match one path segment in the ARN as *.
resource "aws_lambda_permission" "api" {
  for_each = var.routes

  statement_id  = "HttpApi-${trim(replace(each.key, "/[^A-Za-z0-9]+/", "-"), "-")}"
  action        = "lambda:InvokeFunction"
  function_name = var.functions[each.value].function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/*/${split(" ", each.key)[0]}${replace(split(" ", each.key)[1], "/\\{[^}]+\\}/", "*")}"
}

resource "aws_cloudwatch_log_group" "access" {
  #checkov:skip=CKV_AWS_158:CloudWatch Logs encrypts every log group at rest; access logs hold no request bodies, only ids, routes and statuses.
  #checkov:skip=CKV_AWS_338:Retention is a validated input, a year by default and in prod; dev and staging keep less on purpose.
  name              = "/aws/apigateway/${var.name}"
  retention_in_days = var.access_log_retention_days
  tags              = var.tags
}

resource "aws_apigatewayv2_stage" "this" {
  api_id      = aws_apigatewayv2_api.this.id
  name        = var.stage_name
  auto_deploy = true

  default_route_settings {
    throttling_burst_limit = var.throttling_burst_limit
    throttling_rate_limit  = var.throttling_rate_limit
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format = jsonencode({
      requestId          = "$context.requestId"
      requestTime        = "$context.requestTime"
      ip                 = "$context.identity.sourceIp"
      httpMethod         = "$context.httpMethod"
      routeKey           = "$context.routeKey"
      path               = "$context.path"
      status             = "$context.status"
      protocol           = "$context.protocol"
      responseLength     = "$context.responseLength"
      responseLatency    = "$context.responseLatency"
      integrationLatency = "$context.integrationLatency"
      integrationStatus  = "$context.integrationStatus"
      integrationError   = "$context.integrationErrorMessage"
      userAgent          = "$context.identity.userAgent"
    })
  }

  tags = var.tags
}
