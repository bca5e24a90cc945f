terraform {
  backend "s3" {
    encrypt = true
  }
}
