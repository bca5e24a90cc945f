terraform {
  required_version = ">= 1.10"

  # No providers on purpose: this module only turns the resource definition into values, so it
  # can be evaluated (and tested) without any cloud credentials or provider downloads.
}
