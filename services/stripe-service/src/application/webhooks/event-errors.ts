/**
 * Why a Stripe event cannot be applied however often it is retried. The events worker acknowledges
 * these (logged, counted by `code`) instead of cycling them to the dead-letter queue; any other
 * error is transient and retried.
 */
export class UnprocessableEventError extends Error {
  constructor(
    readonly code: 'malformed_event' | 'unknown_user' | 'unknown_payment',
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A payload of a handled type that lacks what the worker needs. */
export class MalformedStripeEventError extends UnprocessableEventError {
  constructor(message: string) {
    super('malformed_event', message);
  }
}

/** No user of ours is behind the event's customer or metadata. */
export class UnknownUserError extends UnprocessableEventError {
  constructor(message: string) {
    super('unknown_user', message);
  }
}

/** The event is about a payment we have no record of and cannot attribute. */
export class UnknownPaymentError extends UnprocessableEventError {
  constructor(message: string) {
    super('unknown_payment', message);
  }
}
