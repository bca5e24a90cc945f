import { toProblem } from '@shared/http/problem';
import { CustomerCreationInProgressError, CustomerNotFoundError } from '../../src/application/customers/customer-errors';
import { EventNotApplicableYetError, UnknownPaymentError } from '../../src/application/webhooks/event-errors';
import { MalformedWebhookBodyError, WebhookSecretUnavailableError, WebhookSignatureError } from '../../src/application/webhooks/webhook-errors';

// What a client (or Stripe) reads of each refusal: its status, Retry-After and problem document.
// The codes are documented and stable; the details say what to do next.
const PREFIX = 'urn:problem-type:stripe:';
const answer = (error: unknown) => toProblem(error, 'req_1', PREFIX);
const problem = (status: number, title: string, code: string, detail: string, extra: Record<string, unknown> = {}) => ({
  ...extra,
  type: `${PREFIX}${code}`,
  title,
  status,
  detail,
  code,
  requestId: 'req_1',
});
const json = { 'content-type': 'application/problem+json' };

describe('problems the stripe service answers with', () => {
  it('a webhook whose signature does not verify: 400 naming the reason', () => {
    expect(answer(new WebhookSignatureError('no_matching_signature'))).toEqual({
      status: 400,
      headers: json,
      body: problem(400, 'Invalid request', 'webhook_signature_invalid', 'The Stripe-Signature header does not verify for this body.', { reason: 'no_matching_signature' }),
    });
  });

  it('a verified body that is not JSON, and one that is not an event, each with its own code', () => {
    expect(answer(new MalformedWebhookBodyError('not_json'))).toEqual({ status: 400, headers: json, body: problem(400, 'Invalid request', 'malformed_json', 'The body is not valid JSON.') });
    expect(answer(new MalformedWebhookBodyError('not_an_event'))).toEqual({ status: 400, headers: json, body: problem(400, 'Invalid request', 'malformed_event', 'The body is not a Stripe event.') });
  });

  it('an unreadable signing secret: 503 with Retry-After, so Stripe delivers again; the cause kept for the log only', () => {
    const cause = new Error('secrets manager down');
    const error = new WebhookSecretUnavailableError(cause);
    expect(error.cause).toBe(cause);
    expect(answer(error)).toEqual({
      status: 503,
      headers: { ...json, 'retry-after': '5' },
      body: problem(503, 'Service unavailable', 'secrets_unavailable', 'The webhook signing secret could not be read; retry shortly.'),
    });
  });

  it('no customer yet: 404 saying how to create one', () => {
    expect(answer(new CustomerNotFoundError())).toEqual({
      status: 404,
      headers: json,
      body: problem(404, 'Not found', 'customer_not_found', 'No Stripe customer exists for this user yet; POST /stripe/customer creates it.'),
    });
  });

  it('a customer another request is creating: 409 with Retry-After 1', () => {
    expect(answer(new CustomerCreationInProgressError())).toEqual({
      status: 409,
      headers: { ...json, 'retry-after': '1' },
      body: problem(409, 'Conflict', 'customer_creation_in_progress', 'The customer is being created by another request; retry shortly.'),
    });
  });

  it('an event not applicable yet keeps its cause, and its code and message say it is retried', () => {
    const cause = new UnknownPaymentError('no payment for pi_1', { mayBeEarly: true });
    const error = new EventNotApplicableYetError(cause);
    expect(error).toMatchObject({ kind: 'unavailable', code: 'unknown_payment_yet', message: 'no payment for pi_1; retried in case it is not there yet' });
    expect(error.cause).toBe(cause);
  });
});
