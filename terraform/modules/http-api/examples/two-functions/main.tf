# Three routes served by two functions: one integration and one permission per function.
module "health" {
  source = "../../../lambda-function"

  function_name = "example-dev-health"
  package_path  = "${path.module}/health.zip"
}

module "customer" {
  source = "../../../lambda-function"

  function_name = "example-dev-customer"
  package_path  = "${path.module}/customer.zip"
}

module "api" {
  source = "../.."

  name = "example-dev-api"
  functions = {
    health   = { function_name = module.health.function_name, invoke_arn = module.health.invoke_arn }
    customer = { function_name = module.customer.function_name, invoke_arn = module.customer.invoke_arn }
  }
  routes = {
    "GET /stripe/health"    = "health"
    "GET /stripe/customer"  = "customer"
    "POST /stripe/customer" = "customer"
  }
  throttling_burst_limit = 20
  throttling_rate_limit  = 10

  # Tokens from an OIDC issuer (here a Cognito user pool) are checked by API Gateway as well.
  jwt_authorizer = {
    issuer   = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_example"
    audience = ["example-client-id"]
    routes   = ["GET /stripe/customer", "POST /stripe/customer"]
  }
}

output "endpoint" {
  description = "Base URL of the API."
  value       = module.api.endpoint
}
