import { JwtAuthenticator } from '../src/auth/jwt-authenticator';
import { DomainError, ValidationError } from '../src/errors/domain-error';
import { createHttpFunction, parseJsonBody } from '../src/http/http-function';
import { createLogger, createMetrics } from '../src/observability/telemetry';
import { registerSecret } from '../src/observability/redaction';
import { httpEvent, lambdaContext } from './support/api-gateway-event';

const SECRET = 'sk_test_supersecretvalue_0123456789';
const JWT_SECRET = 'jwt-secret-for-http-function-tests-0123456789';

/** Every event carries the same request id so responses can be compared with it. */
const event = (routeKey: string, init: Omit<Parameters<typeof httpEvent>[1], 'requestId'> = {}) => httpEvent(routeKey, { ...init, requestId: 'req-123' });

/** Captures everything written to stdout and stderr (the logger writes errors to stderr). */
function captureOutput() {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((stream) => stream.write);
  for (const stream of streams) {
    stream.write = ((chunk: string | Uint8Array) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
      return true;
    }) as typeof stream.write;
  }
  return {
    text: () => chunks.join(''),
    restore: () => {
      streams.forEach((stream, i) => {
        stream.write = originals[i] as typeof stream.write;
      });
    },
  };
}

describe('createHttpFunction', () => {
  registerSecret(SECRET);
  const handler = createHttpFunction({
    telemetry: { logger: createLogger('test', { logLevel: 'INFO' }), metrics: createMetrics('test', 'Test') },
    problemTypePrefix: 'urn:problem-type:test:',
    compose: async () => ({ authenticator: new JwtAuthenticator({ hs256Secret: async () => JWT_SECRET }) }),
    authenticator: (deps) => deps.authenticator,
    maxBodyBytes: 100,
    routes: {
      'GET /public': { auth: 'none', handle: async (request) => ({ status: 200, body: { requestId: request.requestId } }) },
      'POST /echo': { auth: 'none', handle: async (request) => ({ status: 200, body: { got: parseJsonBody(request) } }) },
      'GET /private': { auth: 'jwt', handle: async (request) => ({ status: 200, body: request.principal }) },
      'GET /boom': {
        auth: 'none',
        handle: async () => {
          throw new Error(`connection to https://api.stripe.com failed with key ${SECRET}`);
        },
      },
      'GET /hang': { auth: 'none', handle: () => new Promise<never>(() => undefined) },
      'GET /declined': {
        auth: 'none',
        handle: async () => {
          throw new DomainError('payment_required', 'card_declined', 'Your card was declined.', { details: { declineCode: 'insufficient_funds' } });
        },
      },
      'GET /busy': {
        auth: 'none',
        handle: async () => {
          throw new DomainError('rate_limited', 'payment_provider_rate_limited', 'Slow down.', { retryAfterSeconds: 2 });
        },
      },
      'POST /validate': {
        auth: 'none',
        handle: async () => {
          throw new ValidationError('bad', [{ field: 'amount', message: 'must be positive' }]);
        },
      },
    },
  });

  it('answers with JSON, the request id header and no caching', async () => {
    const result = await handler(event('GET /public'), lambdaContext);
    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({ 'content-type': 'application/json', 'x-request-id': 'req-123', 'cache-control': 'no-store' });
    expect(JSON.parse(result.body ?? '')).toEqual({ requestId: 'req-123' });
  });

  it('turns an unexpected error into a generic 500 problem, and keeps the secret out of the response and the logs', async () => {
    const out = captureOutput();
    let result;
    try {
      result = await handler(event('GET /boom'), lambdaContext);
    } finally {
      out.restore();
    }
    expect(result.statusCode).toBe(500);
    expect(result.headers?.['content-type']).toBe('application/problem+json');
    const body = JSON.parse(result.body ?? '');
    expect(body).toEqual({
      type: 'urn:problem-type:test:internal_error', title: 'Internal error', status: 500,
      detail: 'An unexpected error occurred. Quote the requestId when reporting it.', code: 'internal_error', requestId: 'req-123',
    });
    expect(result.body).not.toMatch(/at .*\.ts:\d+/);
    const logs = out.text();
    expect(logs).toContain('unexpected error');
    expect(logs).toContain('[REDACTED]');
    expect(logs).not.toContain(SECRET);
    expect(result.body).not.toContain(SECRET);
  });

  it('never logs the Authorization header or token', async () => {
    const out = captureOutput();
    try {
      await handler(event('GET /private', { headers: { authorization: `Bearer ${'x'.repeat(20)}.${'y'.repeat(20)}.${'z'.repeat(20)}` } }), lambdaContext);
    } finally {
      out.restore();
    }
    expect(out.text()).not.toContain('y'.repeat(20));
  });

  it('maps domain errors to their status with code and details', async () => {
    const declined = await handler(event('GET /declined'), lambdaContext);
    expect(declined.statusCode).toBe(402);
    expect(JSON.parse(declined.body ?? '')).toMatchObject({ code: 'card_declined', declineCode: 'insufficient_funds', status: 402, title: 'Payment required' });
    const busy = await handler(event('GET /busy'), lambdaContext);
    expect(busy.statusCode).toBe(503);
    expect(busy.headers?.['retry-after']).toBe('2');
    const invalid = await handler(event('POST /validate'), lambdaContext);
    expect(invalid.statusCode).toBe(400);
    expect(JSON.parse(invalid.body ?? '')).toMatchObject({ code: 'validation_failed', errors: [{ field: 'amount', message: 'must be positive' }] });
  });

  it('answers 401 with WWW-Authenticate on a protected route without a valid token', async () => {
    const result = await handler(event('GET /private'), lambdaContext);
    expect(result.statusCode).toBe(401);
    expect(result.headers?.['www-authenticate']).toBe('Bearer error="invalid_token"');
    expect(JSON.parse(result.body ?? '')).toMatchObject({ code: 'token_missing', status: 401 });
  });

  it('answers 503 with Retry-After when a route outlives the function\'s remaining time, before Lambda would cut it off', async () => {
    const started = Date.now();
    const result = await handler(event('GET /hang'), { ...lambdaContext, getRemainingTimeInMillis: () => 1_300 });
    expect(Date.now() - started).toBeLessThan(1_300);
    expect(result.statusCode).toBe(503);
    expect(result.headers?.['retry-after']).toBe('2');
    expect(JSON.parse(result.body ?? '')).toMatchObject({ code: 'dependency_timeout', status: 503 });
  });

  it('rejects unknown routes, oversize bodies, malformed JSON and non-JSON bodies', async () => {
    expect((await handler(event('GET /nowhere'), lambdaContext)).statusCode).toBe(404);
    const big = await handler(event('POST /echo', { body: JSON.stringify({ pad: 'x'.repeat(200) }) }), lambdaContext);
    expect(big.statusCode).toBe(413);
    const malformed = await handler(event('POST /echo', { body: '{"a":', headers: { 'content-type': 'application/json' } }), lambdaContext);
    expect(JSON.parse(malformed.body ?? '')).toMatchObject({ status: 400, code: 'malformed_json' });
    const form = await handler(event('POST /echo', { body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), lambdaContext);
    expect(JSON.parse(form.body ?? '')).toMatchObject({ status: 415, code: 'unsupported_media_type' });
  });

  it('decodes base64 bodies', async () => {
    const body = Buffer.from(JSON.stringify({ a: 1 })).toString('base64');
    const result = await handler(event('POST /echo', { body, isBase64Encoded: true }), lambdaContext);
    expect(JSON.parse(result.body ?? '')).toEqual({ got: { a: 1 } });
  });
});
