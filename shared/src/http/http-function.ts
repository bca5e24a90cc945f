import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { JwtAuthenticator, Principal } from '../auth/jwt-authenticator';
import { DomainError, ServiceUnavailableError, ValidationError } from '../errors/domain-error';
import type { Telemetry } from '../observability/telemetry';
import { toProblem } from './problem';

export interface HttpRequest {
  routeKey: string;
  method: string;
  path: string;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  query: Record<string, string>;
  pathParameters: Record<string, string>;
  /** The body exactly as received, decoded from base64 when API Gateway encoded it. */
  rawBody: Buffer;
  requestId: string;
  correlationId: string;
}

export interface AuthenticatedRequest extends HttpRequest {
  principal: Principal;
}

export interface HttpResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type PublicRoute<D> = { auth: 'none'; handle: (request: HttpRequest, deps: D) => Promise<HttpResult> };
type PrivateRoute<D> = { auth: 'jwt'; handle: (request: AuthenticatedRequest, deps: D) => Promise<HttpResult> };
export type Route<D> = PublicRoute<D> | PrivateRoute<D>;


export interface HttpFunctionSpec<D> {
  /** Builds the function's dependencies once per cold start (its composition root). */
  compose: () => Promise<D>;
  /** Routes by API Gateway route key, e.g. `POST /stripe/customer`. */
  routes: Record<string, Route<D>>;
  /** Needed when any route is `auth: 'jwt'`. */
  authenticator?: (deps: D) => JwtAuthenticator;
  telemetry: Telemetry;
  /** Prefix of the service's problem type URIs, e.g. `urn:problem-type:billing:`. */
  problemTypePrefix: string;
  /** Largest body accepted, in bytes. */
  maxBodyBytes?: number;
}

const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
/** Kept back from the function's timeout to answer, log and flush metrics before Lambda stops the function. */
const ANSWER_MARGIN_MS = 1_000;

export type HttpHandler = ((event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>) & {
  /** The route keys this function serves, checked against the resource definition and the OpenAPI document. */
  readonly routeKeys: readonly string[];
};

/**
 * Wraps a function's routes in the behaviour every endpoint shares: composition at cold start,
 * routing, authentication, body limits, structured access logs with request and correlation ids,
 * EMF metrics, and the one error-to-problem mapping.
 */
export function createHttpFunction<D>(spec: HttpFunctionSpec<D>): HttpHandler {
  const { logger, metrics } = spec.telemetry;
  let deps: Promise<D> | undefined;
  const maxBodyBytes = spec.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  const handler = async (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    const started = Date.now();
    const request = toRequest(event, context);
    logger.addContext(context);
    logger.appendKeys({ requestId: request.requestId, correlationId: request.correlationId });
    metrics.captureColdStartMetric();
    let result: HttpResult | undefined;
    let problemCode: string | undefined;
    try {
      const route = spec.routes[event.routeKey];
      if (!route) throw new DomainError('not_found', 'route_not_found', `No route for ${event.routeKey}.`);
      if (request.rawBody.length > maxBodyBytes) {
        throw new DomainError('payload_too_large', 'payload_too_large', `The body must be at most ${maxBodyBytes} bytes.`);
      }
      if (!deps) deps = spec.compose();
      const resolved = await deps.catch((error: unknown) => {
        // Let the next invocation try again (a secret may have been created meanwhile).
        deps = undefined;
        throw error;
      });
      const run = async (): Promise<HttpResult> => {
        if (route.auth === 'none') return route.handle(request, resolved);
        if (!spec.authenticator) throw new Error(`route ${event.routeKey} needs an authenticator`);
        const principal = await spec.authenticator(resolved).authenticate(request.headers.authorization);
        logger.appendKeys({ userId: principal.userId });
        return route.handle({ ...request, principal }, resolved);
      };
      result = await withinDeadline(run(), context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS);
    } catch (error) {
      const problem = toProblem(error, request.requestId, spec.problemTypePrefix);
      problemCode = problem.body.code;
      if (error instanceof DomainError && problem.status >= 500) {
        // The cause says which dependency failed and how; the redactor keeps secrets out of it.
        logger.warn('dependency failure', { code: problem.body.code, status: problem.status, cause: describeCause(error.cause) });
      } else if (error instanceof DomainError) {
        logger.info('request rejected', { code: problem.body.code, status: problem.status });
      } else {
        logger.error('unexpected error', error instanceof Error ? error : new Error(String(error)));
      }
      result = { status: problem.status, headers: problem.headers, body: problem.body };
    } finally {
      logger.removeKeys(['userId']);
    }
    const durationMs = Date.now() - started;
    logger.info('request', { method: request.method, path: request.path, status: result.status, durationMs, code: problemCode });
    metrics.addDimension('route', event.routeKey);
    metrics.addMetric('Latency', MetricUnit.Milliseconds, durationMs);
    metrics.addMetric(result.status >= 500 ? 'Fault' : result.status >= 400 ? 'ClientError' : 'Success', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    return toApiGatewayResult(result, request.requestId);
  };
  return Object.assign(handler, { routeKeys: Object.keys(spec.routes) });
}

/**
 * A hung dependency must not run the function into its timeout: Lambda would then answer for us
 * with an opaque 500 and no log of why. Past the deadline the caller gets a 503 with Retry-After
 * (the work may still finish; idempotency keys make the retry safe).
 */
async function withinDeadline<T>(work: Promise<T>, budgetMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ServiceUnavailableError('A dependency did not answer in time; retry shortly.', 'dependency_timeout', { retryAfterSeconds: 2 })),
      Math.max(0, budgetMs),
    );
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function describeCause(cause: unknown): string | undefined {
  if (cause === undefined) return undefined;
  return cause instanceof Error ? `${cause.name}: ${cause.message}`.slice(0, 500) : String(cause).slice(0, 500);
}

function toRequest(event: APIGatewayProxyEventV2, context: Context): HttpRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  const requestId = event.requestContext?.requestId ?? context.awsRequestId;
  const rawBody = event.body === undefined ? Buffer.alloc(0) : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  const routeMethod = event.routeKey.split(' ')[0];
  return {
    routeKey: event.routeKey,
    // Stryker disable next-line StringLiteral: split with a separator returns at least one element, so the last fallback (there for the type checker) is never taken
    method: event.requestContext?.http?.method ?? routeMethod ?? 'GET',
    path: event.rawPath,
    headers,
    query: Object.fromEntries(Object.entries(event.queryStringParameters ?? {}).filter((e): e is [string, string] => e[1] !== undefined)),
    pathParameters: Object.fromEntries(Object.entries(event.pathParameters ?? {}).filter((e): e is [string, string] => e[1] !== undefined)),
    rawBody,
    requestId,
    correlationId: headers['x-correlation-id']?.slice(0, 128) ?? requestId,
  };
}

function toApiGatewayResult(result: HttpResult, requestId: string): APIGatewayProxyStructuredResultV2 {
  const headers: Record<string, string> = { 'x-request-id': requestId, 'cache-control': 'no-store', ...result.headers };
  if (result.body === undefined) return { statusCode: result.status, headers };
  if (!headers['content-type']) headers['content-type'] = 'application/json';
  return { statusCode: result.status, headers, body: JSON.stringify(result.body) };
}

/** Parses a JSON body; an empty body is `{}` so endpoints whose fields are all optional accept none. */
export function parseJsonBody(request: HttpRequest): unknown {
  if (request.rawBody.length === 0) return {};
  const contentType = request.headers['content-type'] ?? 'application/json';
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(contentType)) {
    throw new DomainError('unsupported_media_type', 'unsupported_media_type', 'The body must be JSON (Content-Type: application/json).');
  }
  try {
    return JSON.parse(request.rawBody.toString('utf8'));
  } catch {
    throw new ValidationError('The body is not valid JSON.', [], 'malformed_json');
  }
}
