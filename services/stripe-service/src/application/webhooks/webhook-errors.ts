import { DomainError, ServiceUnavailableError, ValidationError } from '@shared/errors/domain-error';
import type { WebhookRejection } from '../ports/webhook-signature-verifier';

/** The Stripe-Signature header is missing or does not verify: 400, and nothing is recorded. */
export class WebhookSignatureError extends DomainError {
  constructor(reason: WebhookRejection) {
    super('validation', 'webhook_signature_invalid', 'The Stripe-Signature header does not verify for this body.', { details: { reason } });
  }
}

/** The body verified but is not a Stripe event (not JSON, or lacking an event's fields): 400. */
export class MalformedWebhookBodyError extends ValidationError {
  constructor(problem: 'not_json' | 'not_an_event') {
    super(problem === 'not_json' ? 'The body is not valid JSON.' : 'The body is not a Stripe event.', [], problem === 'not_json' ? 'malformed_json' : 'malformed_event');
  }
}

/**
 * Another delivery of the same event holds it (within its lease) and the worker has not processed
 * it in time. Not a 200: if that delivery then failed before its send, Stripe would have no reason
 * to deliver the event again.
 */
export class WebhookEventInProgressError extends DomainError {
  constructor() {
    super('conflict', 'webhook_event_in_progress', 'Another delivery of this event is in flight and not processed yet; retry shortly.', { retryAfterSeconds: 5 });
  }
}

/** The endpoint's signing secret could not be read: 503, and Stripe retries. */
export class WebhookSecretUnavailableError extends ServiceUnavailableError {
  constructor(cause: unknown) {
    super('The webhook signing secret could not be read; retry shortly.', 'secrets_unavailable', { retryAfterSeconds: 5, cause });
  }
}
