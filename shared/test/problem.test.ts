import { DomainError, type ErrorKind } from '../src/errors/domain-error';
import { PROBLEM_CONTENT_TYPE, problemType, toProblem } from '../src/http/problem';

const PREFIX = 'urn:problem-type:test:';

// Every kind's status and title, as the OpenAPI document and the callers' error handling know them.
const KINDS: [ErrorKind, number, string][] = [
  ['validation', 400, 'Invalid request'],
  ['unauthorized', 401, 'Unauthorized'],
  ['forbidden', 403, 'Forbidden'],
  ['not_found', 404, 'Not found'],
  ['conflict', 409, 'Conflict'],
  ['payload_too_large', 413, 'Payload too large'],
  ['idempotency_mismatch', 422, 'Idempotency key reused'],
  ['payment_required', 402, 'Payment required'],
  ['unsupported_media_type', 415, 'Unsupported media type'],
  ['rate_limited', 503, 'Temporarily overloaded'],
  ['unavailable', 503, 'Service unavailable'],
  ['internal', 500, 'Internal error'],
];

describe('toProblem', () => {
  it.each(KINDS)('maps %s to %d "%s", keeping the code, message and request id', (kind, status, title) => {
    const problem = toProblem(new DomainError(kind, 'some_code', 'What went wrong.'), 'req-1', PREFIX);
    expect(problem.status).toBe(status);
    expect(problem.body).toEqual({ type: `${PREFIX}some_code`, title, status, detail: 'What went wrong.', code: 'some_code', requestId: 'req-1' });
    expect(problem.headers['content-type']).toBe('application/problem+json');
  });

  it('adds the details as members, but never over the standard ones', () => {
    const error = new DomainError('payment_required', 'card_declined', 'Declined.', { details: { declineCode: 'insufficient_funds', status: 200, code: 'x', requestId: 'forged' } });
    expect(toProblem(error, 'req-2', PREFIX).body).toEqual({
      declineCode: 'insufficient_funds', type: `${PREFIX}card_declined`, title: 'Payment required', status: 402, detail: 'Declined.', code: 'card_declined', requestId: 'req-2',
    });
  });

  it('sends Retry-After in whole seconds, rounded up and at least 1, only when the error gives one', () => {
    const retryAfter = (seconds: number | undefined) => toProblem(new DomainError('unavailable', 'down', 'Down.', { retryAfterSeconds: seconds }), 'r', PREFIX).headers['retry-after'];
    expect(retryAfter(2)).toBe('2');
    expect(retryAfter(2.1)).toBe('3');
    expect(retryAfter(0.2)).toBe('1');
    expect(retryAfter(0)).toBe('1');
    expect(retryAfter(undefined)).toBeUndefined();
  });

  it('challenges with WWW-Authenticate on 401 only', () => {
    expect(toProblem(new DomainError('unauthorized', 'token_invalid', 'No.'), 'r', PREFIX).headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    expect(toProblem(new DomainError('forbidden', 'forbidden', 'No.'), 'r', PREFIX).headers).toEqual({ 'content-type': PROBLEM_CONTENT_TYPE });
  });

  it('answers anything that is not a DomainError with a generic 500 that says nothing of the cause', () => {
    for (const error of [new Error('secret sk_live_123 leaked'), 'a string', undefined]) {
      expect(toProblem(error, 'req-3', PREFIX)).toEqual({
        status: 500,
        headers: { 'content-type': PROBLEM_CONTENT_TYPE },
        body: {
          type: `${PREFIX}internal_error`, title: 'Internal error', status: 500, detail: 'An unexpected error occurred. Quote the requestId when reporting it.', code: 'internal_error', requestId: 'req-3',
        },
      });
    }
  });

  it('names problem types under the service prefix', () => {
    expect(problemType('urn:problem-type:billing:', 'card_declined')).toBe('urn:problem-type:billing:card_declined');
  });
});
