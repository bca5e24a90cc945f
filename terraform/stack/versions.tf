terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.99.1"
    }
  }

  # Partial: bucket, key, region and use_lockfile are given at init, the key naming the project and
  # the environment, so each environment keeps its own state (docs/deploy.md).
  backend "s3" {
    encrypt = true
  }
}

provider "aws" {
  region = var.aws_region
}
