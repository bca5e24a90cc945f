import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { SignJWT } from 'jose';
import { JwtAuthenticator } from '../src/auth/jwt-authenticator';
import { DomainError, ServiceUnavailableError, ValidationError } from '../src/errors/domain-error';
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
      'POST /request': {
        auth: 'none',
        handle: async (request) => ({
          status: 200,
          body: { method: request.method, requestId: request.requestId, correlationId: request.correlationId, queryKeys: Object.keys(request.query) },
        }),
      },
      'DELETE /thing': { auth: 'none', handle: async () => ({ status: 204 }) },
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
    expect(JSON.parse(result.body ?? '')).toMatchObject({ code: 'dependency_timeout', status: 503, detail: 'A dependency did not answer in time; retry shortly.' });
  });

  it('rejects unknown routes, oversize bodies, malformed JSON and non-JSON bodies, each with its code and a detail that says why', async () => {
    const unknown = await handler(event('GET /nowhere'), lambdaContext);
    expect(unknown.statusCode).toBe(404);
    expect(JSON.parse(unknown.body ?? '')).toMatchObject({ code: 'route_not_found', detail: 'No route for GET /nowhere.' });
    const big = await handler(event('POST /echo', { body: JSON.stringify({ pad: 'x'.repeat(200) }) }), lambdaContext);
    expect(big.statusCode).toBe(413);
    expect(JSON.parse(big.body ?? '')).toMatchObject({ code: 'payload_too_large', detail: 'The body must be at most 100 bytes.' });
    const malformed = await handler(event('POST /echo', { body: '{"a":', headers: { 'content-type': 'application/json' } }), lambdaContext);
    expect(JSON.parse(malformed.body ?? '')).toMatchObject({ status: 400, code: 'malformed_json', detail: 'The body is not valid JSON.' });
    const form = await handler(event('POST /echo', { body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), lambdaContext);
    expect(JSON.parse(form.body ?? '')).toMatchObject({
      status: 415, code: 'unsupported_media_type', detail: 'The body must be JSON (Content-Type: application/json).',
    });
  });

  it('accepts a body of exactly the limit and refuses one byte more', async () => {
    const ofLength = (bytes: number) => JSON.stringify({ pad: 'x'.repeat(bytes - '{"pad":""}'.length) });
    expect(Buffer.byteLength(ofLength(100))).toBe(100);
    expect((await handler(event('POST /echo', { body: ofLength(100) }), lambdaContext)).statusCode).toBe(200);
    expect((await handler(event('POST /echo', { body: ofLength(101) }), lambdaContext)).statusCode).toBe(413);
  });

  it('accepts the structured JSON media types (+json suffix) with parameters, and no look-alike', async () => {
    for (const contentType of ['application/merge-patch+json', 'application/vnd.api+json; charset=utf-8', 'Application/JSON']) {
      const result = await handler(event('POST /echo', { body: '{"a":1}', headers: { 'content-type': contentType } }), lambdaContext);
      expect({ contentType, got: JSON.parse(result.body ?? '') }).toEqual({ contentType, got: { got: { a: 1 } } });
    }
    const lookAlike = await handler(event('POST /echo', { body: '{"a":1}', headers: { 'content-type': 'application/jsonl' } }), lambdaContext);
    expect(lookAlike.statusCode).toBe(415);
  });

  it('answers a result without a body with its status and headers, and no content type', async () => {
    const result = await handler(event('DELETE /thing'), lambdaContext);
    expect(result).toEqual({ statusCode: 204, headers: { 'x-request-id': 'req-123', 'cache-control': 'no-store' } });
    expect(result).not.toHaveProperty('body');
  });

  it('passes the handler the caller\'s correlation id, cut to 128 characters, and drops query parameters without a value', async () => {
    const correlationId = 'c'.repeat(200);
    const base = event('POST /request', { headers: { 'X-Correlation-Id': correlationId } });
    const withQuery: APIGatewayProxyEventV2 = { ...base, queryStringParameters: { limit: '10', cursor: undefined } };
    const result = await handler(withQuery, lambdaContext);
    expect(JSON.parse(result.body ?? '')).toEqual({ method: 'POST', requestId: 'req-123', correlationId: 'c'.repeat(128), queryKeys: ['limit'] });
  });

  it('answers a hand-made event (a console test event) without requestContext, or without its http part', async () => {
    // API Gateway always sends both; an event typed by hand in the Lambda console or a script may not.
    const { requestContext, ...bare } = event('POST /request');
    const noContext = await handler(bare as APIGatewayProxyEventV2, lambdaContext);
    expect(noContext.headers?.['x-request-id']).toBe(lambdaContext.awsRequestId);
    expect(JSON.parse(noContext.body ?? '')).toMatchObject({ method: 'POST', requestId: lambdaContext.awsRequestId });
    const { http: _http, ...contextWithoutHttp } = requestContext;
    const noHttp = await handler({ ...bare, requestContext: contextWithoutHttp } as APIGatewayProxyEventV2, lambdaContext);
    expect(JSON.parse(noHttp.body ?? '')).toMatchObject({ method: 'POST', requestId: 'req-123' });
  });

  it('leaves no timer behind once it has answered: the deadline is cleared', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
    const before = timers();
    expect((await handler(event('GET /public'), lambdaContext)).statusCode).toBe(200);
    expect(timers()).toBe(before);
  });

  it('decodes base64 bodies', async () => {
    const body = Buffer.from(JSON.stringify({ a: 1 })).toString('base64');
    const result = await handler(event('POST /echo', { body, isBase64Encoded: true }), lambdaContext);
    expect(JSON.parse(result.body ?? '')).toEqual({ got: { a: 1 } });
  });
});

/** One invocation with what it wrote captured: its log entries and its EMF metric documents. */
async function observe(run: () => Promise<unknown>) {
  const out = captureOutput();
  try {
    await run();
  } finally {
    out.restore();
  }
  const lines = out.text().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logs: lines.filter((line) => 'message' in line), emf: lines.filter((line) => '_aws' in line) };
}

/** Metrics are off in tests (scripts/jest/setup-env.js); this instance writes its EMF documents. */
function enabledMetrics() {
  const previous = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  try {
    return createMetrics('test', 'Test');
  } finally {
    if (previous === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
    else process.env.POWERTOOLS_METRICS_DISABLED = previous;
  }
}

describe('createHttpFunction: access logs, error logs and metrics', () => {
  const logger = createLogger('test', { logLevel: 'INFO' });
  const fail = (error: unknown) => async (): Promise<never> => {
    throw error;
  };
  const handler = createHttpFunction({
    telemetry: { logger, metrics: enabledMetrics() },
    problemTypePrefix: 'urn:problem-type:test:',
    compose: async () => ({ authenticator: new JwtAuthenticator({ hs256Secret: async () => JWT_SECRET }) }),
    authenticator: (deps) => deps.authenticator,
    routes: {
      'GET /public': { auth: 'none', handle: async () => ({ status: 200, body: {} }) },
      'GET /private': {
        auth: 'jwt',
        handle: async () => {
          logger.info('handling');
          return { status: 200, body: {} };
        },
      },
      'POST /validate': { auth: 'none', handle: fail(new ValidationError('bad', [{ field: 'amount', message: 'must be positive' }])) },
      'POST /conflict': { auth: 'none', handle: fail(new DomainError('conflict', 'already_exists', 'It exists.', { cause: new Error('condition failed') })) },
      'GET /boom': { auth: 'none', handle: fail(new Error('bug')) },
      'GET /internal': { auth: 'none', handle: fail(new DomainError('internal', 'ledger_corrupt', 'Try later.', { cause: new TypeError('y'.repeat(600)) })) },
      'GET /down': { auth: 'none', handle: fail(new ServiceUnavailableError('Down.', 'table_unavailable')) },
      'GET /down-text': { auth: 'none', handle: fail(new ServiceUnavailableError('Down.', 'queue_unavailable', { cause: 'z'.repeat(600) })) },
    },
  });
  const call = (routeKey: string, init: Parameters<typeof event>[1] = {}) => handler(event(routeKey, init), lambdaContext);
  const messages = (logs: Record<string, unknown>[]) => logs.map((entry) => entry.message);

  it('writes one access log entry per request: method, path, status, duration, problem code, request and correlation ids', async () => {
    const started = Date.now();
    const { logs } = await observe(() => call('POST /validate', { headers: { 'x-correlation-id': 'corr-1' } }));
    const elapsed = Date.now() - started;
    const access = logs.filter((entry) => entry.message === 'request');
    expect(access).toEqual([
      expect.objectContaining({ method: 'POST', path: '/validate', status: 400, code: 'validation_failed', requestId: 'req-123', correlationId: 'corr-1' }),
    ]);
    expect(access[0]?.durationMs).toEqual(expect.any(Number));
    expect(access[0]?.durationMs).toBeGreaterThanOrEqual(0);
    expect(access[0]?.durationMs).toBeLessThanOrEqual(elapsed);
    // Every entry of the request carries its ids, not only the access log.
    for (const entry of logs) expect(entry).toMatchObject({ requestId: 'req-123', correlationId: 'corr-1' });
  });

  it('logs a refused request (4xx) at info as rejected, with its code and status, not as a failure and without its cause', async () => {
    const { logs } = await observe(() => call('POST /conflict'));
    expect(messages(logs)).toEqual(['request rejected', 'request']);
    expect(logs[0]).toMatchObject({ level: 'INFO', code: 'already_exists', status: 409 });
    expect(logs[0]).not.toHaveProperty('cause');
  });

  it('logs a 5xx domain error, 500 included, as a dependency failure with its cause cut to 500 characters', async () => {
    const internal = await observe(() => call('GET /internal'));
    expect(messages(internal.logs)).toEqual(['dependency failure', 'request']);
    expect(internal.logs[0]).toMatchObject({ level: 'WARN', code: 'ledger_corrupt', status: 500, cause: `TypeError: ${'y'.repeat(500)}`.slice(0, 500) });
    const text = await observe(() => call('GET /down-text'));
    expect(text.logs[0]).toMatchObject({ message: 'dependency failure', status: 503, cause: 'z'.repeat(500) });
    const noCause = await observe(() => call('GET /down'));
    expect(noCause.logs[0]).toMatchObject({ message: 'dependency failure', code: 'table_unavailable', status: 503 });
    expect(noCause.logs[0]).not.toHaveProperty('cause');
  });

  it('logs an unexpected error at error level', async () => {
    const { logs } = await observe(() => call('GET /boom'));
    expect(messages(logs)).toEqual(['unexpected error', 'request']);
    expect(logs[0]).toMatchObject({ level: 'ERROR', error: expect.objectContaining({ message: 'bug' }) });
  });

  it("keeps the caller's user id on the entries of its own request only", async () => {
    const token = await new SignJWT({ sub: 'user-1', exp: Math.floor(Date.now() / 1000) + 60 })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(JWT_SECRET));
    const own = await observe(() => call('GET /private', { headers: { authorization: `Bearer ${token}` } }));
    expect(own.logs.find((entry) => entry.message === 'handling')).toMatchObject({ userId: 'user-1' });
    const next = await observe(() => call('GET /public'));
    expect(next.logs.length).toBeGreaterThan(0);
    for (const entry of next.logs) expect(entry).not.toHaveProperty('userId');
  });

  it('counts each answer once by route as Success (2xx), ClientError (4xx) or Fault (5xx), with its latency', async () => {
    const counted = async (routeKey: string) => {
      const { emf } = await observe(() => call(routeKey));
      const document = emf.find((entry) => 'route' in entry);
      return { route: document?.route, Latency: typeof document?.Latency, Success: document?.Success, ClientError: document?.ClientError, Fault: document?.Fault };
    };
    const answer = (route: string, outcome: 'Success' | 'ClientError' | 'Fault') => ({ route, Latency: 'number', Success: undefined, ClientError: undefined, Fault: undefined, [outcome]: 1 });
    expect(await counted('GET /public')).toEqual(answer('GET /public', 'Success'));
    expect(await counted('POST /validate')).toEqual(answer('POST /validate', 'ClientError'));
    expect(await counted('GET /boom')).toEqual(answer('GET /boom', 'Fault'));
    expect(await counted('GET /down')).toEqual(answer('GET /down', 'Fault'));
  });
});

describe('createHttpFunction without an authenticator', () => {
  const handler = createHttpFunction({
    telemetry: { logger: createLogger('test', { logLevel: 'INFO' }), metrics: createMetrics('test', 'Test') },
    problemTypePrefix: 'urn:problem-type:test:',
    compose: async () => ({}),
    routes: { 'GET /private': { auth: 'jwt', handle: async () => ({ status: 200 }) } },
  });

  it('answers a protected route with a generic 500 and logs which route lacks one', async () => {
    const { logs } = await observe(async () => {
      expect((await handler(event('GET /private'), lambdaContext)).statusCode).toBe(500);
    });
    expect(logs[0]).toMatchObject({ message: 'unexpected error', error: expect.objectContaining({ message: 'route GET /private needs an authenticator' }) });
  });
});
