import Stripe from 'stripe';
import { DomainError } from '@shared/errors/domain-error';
import { mapStripeError } from '../../../src/adapters/stripe/stripe-error-mapper';

const raw = (type: string, fields: Record<string, unknown> = {}) => ({ type, message: `Stripe says: sk_test_leaky ${type}`, ...fields });

describe('mapStripeError', () => {
  it('keeps the card holder\'s decline message and code: 402', () => {
    const error = mapStripeError(new Stripe.errors.StripeCardError(raw('card_error', { code: 'card_declined', decline_code: 'insufficient_funds' }) as never));
    expect(error).toMatchObject({ kind: 'payment_required', code: 'card_declined', details: { declineCode: 'insufficient_funds', stripeCode: 'card_declined' } });
  });

  it('turns our credentials being refused into a 503 that says nothing of Stripe\'s message', () => {
    for (const type of ['authentication_error', 'permission_error'] as const) {
      const type_ = type === 'authentication_error' ? Stripe.errors.StripeAuthenticationError : Stripe.errors.StripePermissionError;
      const error = mapStripeError(new type_(raw(type) as never));
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ kind: 'unavailable', code: 'payment_provider_misconfigured' });
      expect((error as DomainError).message).not.toContain('sk_test');
      expect((error as DomainError).details).toBeUndefined();
    }
  });

  it('makes rate limits and outages retryable 503s', () => {
    expect(mapStripeError(new Stripe.errors.StripeRateLimitError(raw('rate_limit_error') as never))).toMatchObject({ kind: 'rate_limited', retryAfterSeconds: 2 });
    const withHeader = (value: string) => new Stripe.errors.StripeRateLimitError({ ...(raw('rate_limit_error') as object), headers: { 'retry-after': value } } as never);
    expect(mapStripeError(withHeader('7'))).toMatchObject({ kind: 'rate_limited', retryAfterSeconds: 7 });
    expect(mapStripeError(withHeader('86400'))).toMatchObject({ retryAfterSeconds: 2 });
    expect(mapStripeError(withHeader('Wed, 21 Oct 2015 07:28:00 GMT'))).toMatchObject({ retryAfterSeconds: 2 });
    expect(mapStripeError(new Stripe.errors.StripeConnectionError(raw('api_connection_error') as never))).toMatchObject({ kind: 'unavailable', code: 'payment_provider_unavailable', retryAfterSeconds: 2 });
    expect(mapStripeError(new Stripe.errors.StripeAPIError(raw('api_error') as never))).toMatchObject({ kind: 'unavailable', code: 'payment_provider_unavailable' });
  });

  it('maps state errors to 409, missing objects to 404 and other invalid requests to 400 naming the parameter', () => {
    const invalid = (fields: Record<string, unknown>) => mapStripeError(new Stripe.errors.StripeInvalidRequestError(raw('invalid_request_error', fields) as never));
    expect(invalid({ code: 'payment_intent_unexpected_state' })).toMatchObject({ kind: 'conflict', code: 'payment_state_conflict' });
    expect(invalid({ code: 'charge_already_refunded' })).toMatchObject({ kind: 'conflict', code: 'payment_state_conflict' });
    expect(invalid({ code: 'resource_missing' })).toMatchObject({ kind: 'not_found', code: 'payment_provider_resource_missing' });
    expect(invalid({ code: 'amount_too_small', param: 'amount' })).toMatchObject({ kind: 'validation', code: 'amount_too_small', details: { param: 'amount' } });
    expect(mapStripeError(new Stripe.errors.StripeIdempotencyError(raw('idempotency_error') as never))).toMatchObject({ kind: 'conflict', code: 'payment_provider_idempotency_conflict' });
  });

  it('leaves errors that are not Stripe\'s alone', () => {
    const plain = new Error('boom');
    expect(mapStripeError(plain)).toBe(plain);
    expect(mapStripeError('text')).toBe('text');
  });
  it('maps each of Stripe\'s state codes to 409 payment_state_conflict', () => {
    for (const code of ['payment_intent_unexpected_state', 'charge_already_refunded', 'charge_already_captured', 'charge_not_refundable', 'charge_expired_for_capture']) {
      const error = mapStripeError(new Stripe.errors.StripeInvalidRequestError(raw('invalid_request_error', { code }) as never));
      expect(error).toMatchObject({ kind: 'conflict', code: 'payment_state_conflict', details: { stripeCode: code } });
    }
  });

  it('reads Retry-After of one to four digits, spaces around it ignored, bounded to 1-60 s', () => {
    const withHeader = (value: string) => mapStripeError(new Stripe.errors.StripeRateLimitError({ ...(raw('rate_limit_error') as object), headers: { 'retry-after': value } } as never));
    expect(withHeader('30')).toMatchObject({ retryAfterSeconds: 30 });
    expect(withHeader(' 7 ')).toMatchObject({ retryAfterSeconds: 7 });
    expect(withHeader('0')).toMatchObject({ retryAfterSeconds: 1 });
    expect(withHeader('9999')).toMatchObject({ retryAfterSeconds: 60 });
  });

  it('leaves alone an error whose type is not one of Stripe\'s', () => {
    const other = Object.assign(new Error('boom'), { type: 'CardError' });
    expect(mapStripeError(other)).toBe(other);
  });

  it('gives a detail of its own where Stripe sent an empty message', () => {
    const empty = (ErrorClass: typeof Stripe.errors.StripeError, type: string, fields: Record<string, unknown> = {}) =>
      mapStripeError(new ErrorClass({ type, message: '', ...fields } as never)) as DomainError;
    expect(empty(Stripe.errors.StripeCardError, 'card_error', { code: 'card_declined' }).message).toBe('The card was declined.');
    expect(empty(Stripe.errors.StripeInvalidRequestError, 'invalid_request_error', { code: 'payment_intent_unexpected_state' }).message).toBe(
      'The payment is not in a state that allows this.',
    );
    expect(empty(Stripe.errors.StripeInvalidRequestError, 'invalid_request_error', { code: 'parameter_invalid_integer', param: 'amount' }).message).toBe(
      'The payment provider rejected the request.',
    );
  });

  it('treats a message of only spaces as none', () => {
    const error = mapStripeError(new Stripe.errors.StripeCardError({ type: 'card_error', message: '   ', code: 'card_declined' } as never)) as DomainError;
    expect(error.message).toBe('The card was declined.');
  });

  it('maps a key still in use by its first request (409, which the SDK makes a StripeAPIError) to the idempotency conflict, not an outage', () => {
    const inUse = new Stripe.errors.StripeAPIError(raw('idempotency_error', { code: 'idempotency_key_in_use', statusCode: 409 }) as never);
    const error = mapStripeError(inUse);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ kind: 'conflict', code: 'payment_provider_idempotency_conflict', message: 'A conflicting request with the same idempotency key is in progress or was made with other parameters.', cause: inUse });
    expect(mapStripeError(new Stripe.errors.StripeAPIError(raw('api_error', { statusCode: 409 }) as never))).toMatchObject({ kind: 'unavailable', code: 'payment_provider_unavailable' });
  });

  it('gives an invalid request without a code from Stripe a code of its own', () => {
    const error = mapStripeError(new Stripe.errors.StripeInvalidRequestError(raw('invalid_request_error') as never));
    expect(error).toMatchObject({ kind: 'validation', code: 'payment_provider_invalid_request' });
  });

  it('answers each mapping with its own detail, never Stripe\'s, and keeps Stripe\'s error as the cause for the logs', () => {
    const cases: [Stripe.errors.StripeError, string][] = [
      [new Stripe.errors.StripeRateLimitError(raw('rate_limit_error') as never), 'The payment provider is rate limiting requests; retry shortly.'],
      [new Stripe.errors.StripeIdempotencyError(raw('idempotency_error') as never), 'A conflicting request with the same idempotency key is in progress or was made with other parameters.'],
      [new Stripe.errors.StripeInvalidRequestError(raw('invalid_request_error', { code: 'resource_missing' }) as never), 'The payment provider has no such object.'],
      [new Stripe.errors.StripeAuthenticationError(raw('authentication_error') as never), 'The payment provider is not reachable with the configured credentials.'],
      [new Stripe.errors.StripePermissionError(raw('permission_error') as never), 'The payment provider is not reachable with the configured credentials.'],
      [new Stripe.errors.StripeAPIError(raw('api_error') as never), 'The payment provider is unavailable; retry shortly.'],
    ];
    for (const [stripeError, detail] of cases) {
      const error = mapStripeError(stripeError) as DomainError;
      expect(error.message).toBe(detail);
      expect(error.cause).toBe(stripeError);
    }
  });
});
