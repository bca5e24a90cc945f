import { DomainError, ServiceUnavailableError } from '@shared/errors/domain-error';

interface StripeLikeError {
  type: string;
  /** The `type` Stripe sent (`idempotency_error`, `api_error`, …), before the SDK chose a class by status. */
  rawType?: string;
  code?: string;
  decline_code?: string;
  message?: string;
  param?: string;
  statusCode?: number;
  headers?: Record<string, string>;
}

/** Stripe's codes for "this object is not in a state that allows that": a conflict, not a bad request. */
const STATE_CODES = new Set(['payment_intent_unexpected_state', 'charge_already_refunded', 'charge_already_captured', 'charge_not_refundable', 'charge_expired_for_capture']);

function isStripeError(error: unknown): error is StripeLikeError {
  return error instanceof Error && 'type' in error && typeof error.type === 'string' && error.type.startsWith('Stripe');
}

/** The SDK gives every error a message, empty when Stripe sent none: a caller must never get an empty detail. */
function nonEmpty(message: string | undefined): string | undefined {
  return message?.trim() ? message : undefined;
}

/** Seconds from a Retry-After header in seconds (Stripe's 429s may carry one), bounded so a bad value cannot stall a caller. */
function retryAfterSeconds(headers: Record<string, string> | undefined): number | undefined {
  const value = headers?.['retry-after'];
  if (value === undefined || !/^\d{1,4}$/.test(value.trim())) return undefined;
  return Math.min(Math.max(Number(value), 1), 60);
}

/**
 * Turns a Stripe SDK error into a DomainError with a stable code. Messages Stripe writes for the
 * card holder are kept; anything about our own keys or Stripe's internals becomes a generic 503.
 */
export function mapStripeError(error: unknown): unknown {
  if (!isStripeError(error)) return error;
  // The SDK makes a StripeIdempotencyError only of a 400; the 409 of a key whose first request is
  // still running comes as a StripeAPIError, which would read as an outage.
  switch (error.rawType === 'idempotency_error' ? 'StripeIdempotencyError' : error.type) {
    case 'StripeCardError':
      return new DomainError('payment_required', 'card_declined', nonEmpty(error.message) ?? 'The card was declined.', {
        details: { declineCode: error.decline_code ?? error.code, stripeCode: error.code },
        cause: error,
      });
    case 'StripeRateLimitError':
      return new DomainError('rate_limited', 'payment_provider_rate_limited', 'The payment provider is rate limiting requests; retry shortly.', {
        retryAfterSeconds: retryAfterSeconds(error.headers) ?? 2,
        cause: error,
      });
    case 'StripeIdempotencyError':
      return new DomainError('conflict', 'payment_provider_idempotency_conflict', 'A conflicting request with the same idempotency key is in progress or was made with other parameters.', {
        cause: error,
      });
    case 'StripeInvalidRequestError':
      if (error.code !== undefined && STATE_CODES.has(error.code)) {
        // Our own checks run first on a fresh read; this is the race they cannot see (a concurrent capture or refund).
        return new DomainError('conflict', 'payment_state_conflict', nonEmpty(error.message) ?? 'The payment is not in a state that allows this.', {
          details: { stripeCode: error.code },
          cause: error,
        });
      }
      if (error.code === 'resource_missing') {
        return new DomainError('not_found', 'payment_provider_resource_missing', 'The payment provider has no such object.', { cause: error });
      }
      return new DomainError('validation', error.code ?? 'payment_provider_invalid_request', nonEmpty(error.message) ?? 'The payment provider rejected the request.', {
        details: error.param ? { param: error.param } : undefined,
        cause: error,
      });
    case 'StripeAuthenticationError':
    case 'StripePermissionError':
      return new ServiceUnavailableError('The payment provider is not reachable with the configured credentials.', 'payment_provider_misconfigured', {
        cause: error,
      });
    default:
      return new ServiceUnavailableError('The payment provider is unavailable; retry shortly.', 'payment_provider_unavailable', {
        retryAfterSeconds: 2,
        cause: error,
      });
  }
}
