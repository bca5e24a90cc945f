# Partial configuration: bucket, key, region and locking are given at init, e.g.
#   terraform init -backend-config=bucket=<state bucket> \
#     -backend-config=key=<project>/<environment>/stripe-service.tfstate \
#     -backend-config=region=<region> -backend-config=use_lockfile=true
# (see docs/deploy.md), so one configuration serves every project and account.
terraform {
  backend "s3" {
    encrypt = true
  }
}
