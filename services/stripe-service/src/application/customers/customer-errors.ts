import { DomainError, NotFoundError } from '@shared/errors/domain-error';

export class CustomerNotFoundError extends NotFoundError {
  constructor() {
    super('No Stripe customer exists for this user yet; POST /stripe/customer creates it.', 'customer_not_found');
  }
}

export class CustomerCreationInProgressError extends DomainError {
  constructor() {
    super('conflict', 'customer_creation_in_progress', 'The customer is being created by another request; retry shortly.', {
      retryAfterSeconds: 1,
    });
  }
}
