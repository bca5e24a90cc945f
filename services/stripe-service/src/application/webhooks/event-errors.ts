import { DomainError } from '@shared/errors/domain-error';

/**
 * Why a Stripe event cannot be applied. The events worker acknowledges these (logged, counted by
 * `code`) instead of cycling them to the dead-letter queue; any other error is transient and
 * retried. `mayBeEarly`: what the event refers to may simply not be there yet (a record made by an
 * event still in the queue, an index that has not caught up), so it is retried until the queue's
 * last delivery before it is taken as permanent.
 */
export class UnprocessableEventError extends Error {
  constructor(
    readonly code: 'malformed_event' | 'unknown_user' | 'unknown_payment',
    message: string,
    readonly mayBeEarly: boolean,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A payload of a handled type that lacks what the worker needs. */
export class MalformedStripeEventError extends UnprocessableEventError {
  constructor(message: string) {
    super('malformed_event', message, false);
  }
}

/**
 * No user of ours is behind the event's customer or metadata (the customer index lags a new
 * customer). Not `mayBeEarly` for a customer this service never tagged with a user of its own.
 */
export class UnknownUserError extends UnprocessableEventError {
  constructor(message: string, options: { mayBeEarly: boolean } = { mayBeEarly: true }) {
    super('unknown_user', message, options.mayBeEarly);
  }
}

/**
 * The event is about a payment we have no record of. `mayBeEarly` unless the intent names no user
 * of ours at all (made in the dashboard, or by an invoice), which no later delivery changes.
 */
export class UnknownPaymentError extends UnprocessableEventError {
  constructor(message: string, options: { mayBeEarly: boolean }) {
    super('unknown_payment', message, options.mayBeEarly);
  }
}

/**
 * An event whose payment or user is not known yet, on a delivery before the last: left to the
 * queue to deliver again, when the record or the index has most likely caught up.
 */
export class EventNotApplicableYetError extends DomainError {
  constructor(cause: UnprocessableEventError) {
    super('unavailable', `${cause.code}_yet`, `${cause.message}; retried in case it is not there yet`, { cause });
  }
}
