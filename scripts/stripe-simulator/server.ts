// The HTTP front: authentication, body decoding, fault injection, rate limiting, idempotency,
// dispatch to resource handlers, `expand[]`, and Stripe-shaped responses and errors.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { SimulatorCore } from './core';
import { API_VERSION, type EventRequestInfo } from './events';
import { StripeApiError, apiError, authError, invalidRequest, notFoundRoute, rateLimitError } from './errors';
import { applyExpand } from './expand';
import { canonical, parseForm, type FormObject } from './form';
import { newRequestId } from './ids';
import type { IdempotencyRecord, SavedResponse } from './idempotency';
import { optStringArray } from './params';
import { JsonResponse, RawResponse, type RequestContext } from './router';

const MAX_BODY_BYTES = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(invalidRequest('Request body too large.'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Form bodies are Stripe's format; JSON is accepted for the simulator's own control routes. */
function decodeBody(raw: string, contentType: string | undefined): FormObject {
  if (raw.length === 0) return {};
  if (contentType?.includes('application/json')) {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidRequest('Invalid JSON body.');
    return jsonToForm(parsed as Record<string, unknown>);
  }
  return parseForm(raw);
}

function jsonToForm(value: Record<string, unknown>): FormObject {
  const out: FormObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null || v === undefined) continue;
    if (Array.isArray(v)) out[k] = v.map((x) => (typeof x === 'object' && x !== null ? jsonToForm(x as Record<string, unknown>) : String(x)));
    else if (typeof v === 'object') out[k] = jsonToForm(v as Record<string, unknown>);
    else out[k] = String(v);
  }
  return out;
}

function bearerKey(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, value] = header.split(' ', 2);
  if (!value) return undefined;
  if (scheme?.toLowerCase() === 'bearer') return value.trim();
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(0, colon) : decoded;
  }
  return undefined;
}

function redactKey(key: string): string {
  const prefix = key.match(/^(sk|rk|pk)_(test|live)_/)?.[0] ?? '';
  return `${prefix}${'*'.repeat(Math.max(0, key.length - prefix.length - 4))}${key.slice(-4)}`;
}

function serializeJson(status: number, body: unknown): SavedResponse {
  return { status, body: JSON.stringify(body, null, 2), headers: { 'Content-Type': 'application/json' } };
}

function serializeError(err: StripeApiError): SavedResponse {
  const saved = serializeJson(err.status, err.toJSON());
  Object.assign(saved.headers, err.headers);
  return saved;
}

/**
 * Expansion runs after the handler, so an invalid path is reported once the change is made: the
 * error is then saved for the idempotency key like any other outcome of an executed request.
 */
function expandAfterExecution(body: unknown, expand: string[], core: SimulatorCore): unknown {
  try {
    return applyExpand(body, expand, core.store);
  } catch (err) {
    if (err instanceof StripeApiError) throw new StripeApiError(err.status, err.body);
    throw err;
  }
}

export interface ServerHandle {
  server: http.Server;
  /** Sockets held open by the `timeout` fault, closed on stop. */
  hanging: Set<Socket>;
}

export function createHttpServer(core: SimulatorCore): ServerHandle {
  const hanging = new Set<Socket>();

  const send = (res: ServerResponse, saved: SavedResponse, extraHeaders: Record<string, string>): void => {
    if (res.destroyed) return;
    res.writeHead(saved.status, { ...saved.headers, ...extraHeaders });
    res.end(saved.body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = newRequestId();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const stripeVersion = typeof req.headers['stripe-version'] === 'string' ? req.headers['stripe-version'] : API_VERSION;
    const baseHeaders: Record<string, string> = { 'Request-Id': requestId, 'Stripe-Version': stripeVersion };
    const idempotencyHeader = req.headers['idempotency-key'];
    const idempotencyKey = typeof idempotencyHeader === 'string' && idempotencyHeader.length > 0 ? idempotencyHeader : undefined;
    if (idempotencyKey !== undefined && method === 'POST') baseHeaders['Idempotency-Key'] = idempotencyKey;

    let record: IdempotencyRecord | undefined;
    let dropAfter = false;
    let slowMs = 0;
    let slowUntil: PromiseLike<unknown> | undefined;
    try {
      const route = core.router.match(method, path);
      const isControl = path.startsWith('/_simulator/');
      let apiKey = '';
      if (!route || route.options.auth) {
        const key = bearerKey(req.headers.authorization);
        if (key === undefined) {
          throw authError(
            "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
          );
        }
        if (!core.acceptsKey(key)) throw authError(`Invalid API Key provided: ${redactKey(key)}`);
        apiKey = key;
      }

      if (!isControl && req.headers['stripe-version'] !== undefined && !/^\d{4}-\d{2}-\d{2}(\.[a-z]+)?(;.*)?$/.test(stripeVersion)) {
        throw invalidRequest(`Invalid Stripe API version: ${stripeVersion}`, undefined, 'api_version_invalid');
      }

      const rawBody = method === 'POST' ? await readBody(req) : '';

      if (!isControl) {
        const taken = core.faults.take(method, path);
        const fault = taken?.kind;
        if (fault === 'slow') {
          slowUntil = taken?.until;
          slowMs = taken?.delayMs ?? 1000;
        }
        if (fault === 'rate_limit') throw rateLimitError();
        if (fault === 'server_error') throw Object.assign(apiError(), { beforeExecution: true });
        if (fault === 'timeout') {
          hanging.add(req.socket);
          req.socket.once('close', () => hanging.delete(req.socket));
          return;
        }
        if (fault === 'drop_before') {
          req.socket.destroy();
          return;
        }
        if (!core.rateLimiter.allow(method)) throw rateLimitError();
        dropAfter = fault === 'drop_after';
      }

      if (!route) throw notFoundRoute(method, path);

      const query = parseForm(url.search.slice(1));
      const params = method === 'POST' ? decodeBody(rawBody, req.headers['content-type']) : query;
      const expand = optStringArray(params, 'expand') ?? [];

      if (idempotencyKey !== undefined && method === 'POST' && !isControl) {
        if (idempotencyKey.length > 255) {
          throw invalidRequest('Invalid idempotency_key: must be at most 255 characters', 'idempotency_key');
        }
        const decision = core.idempotency.begin(apiKey, idempotencyKey, `${method} ${path} ${canonical(params)}`);
        if (decision.kind === 'replay') {
          const replayHeaders: Record<string, string> = { ...baseHeaders, 'Idempotent-Replayed': 'true' };
          const original = decision.response.headers['Request-Id'];
          if (original) replayHeaders['Original-Request'] = original;
          // Replaying a saved failure gives the same answer again, so the SDK should not retry it.
          if (decision.response.status >= 500) replayHeaders['Stripe-Should-Retry'] = 'false';
          // The replay is an answer like any other: a test that loses every answer to a request
          // (the first and each retry with its key) needs the fault to apply here too.
          if (dropAfter) {
            req.socket.destroy();
            return;
          }
          send(res, { ...decision.response, headers: { ...decision.response.headers } }, replayHeaders);
          return;
        }
        record = decision.record;
      }

      // Events caused by a customer on a hosted page or by a simulator control did not come from an
      // API request, and Stripe reports those with a null request.
      const requestInfo: EventRequestInfo = route.options.auth
        ? { id: requestId, idempotency_key: idempotencyKey ?? null }
        : { id: null, idempotency_key: null };
      const ctx: RequestContext = {
        method,
        path,
        pathParams: route.pathParams,
        params,
        query,
        headers: req.headers,
        rawBody,
        requestId,
        idempotencyKey,
        core,
        emit: (type, object, previous) => core.events.emit(type, object, previous, requestInfo),
      };

      let saved: SavedResponse;
      try {
        if (slowUntil !== undefined) await Promise.resolve(slowUntil).catch(() => undefined);
        else if (slowMs > 0) await new Promise((resolve) => setTimeout(resolve, slowMs));
        const result = await route.handler(ctx);
        if (result instanceof RawResponse) {
          if (record) core.idempotency.release(record);
          record = undefined;
          res.writeHead(result.status, { ...baseHeaders, ...result.headers });
          res.end(result.body);
          core.afterRequest(method);
          return;
        }
        const status = result instanceof JsonResponse ? result.status : 200;
        const body = result instanceof JsonResponse ? result.body : result;
        saved = serializeJson(status, expandAfterExecution(body, expand, core));
      } catch (err) {
        if (err instanceof StripeApiError) {
          if (err.beforeExecution && record) {
            core.idempotency.release(record);
            record = undefined;
          }
          saved = serializeError(err);
        } else {
          console.error('stripe-simulator: handler failed', err);
          saved = serializeError(apiError());
        }
      }
      saved.headers['Request-Id'] = requestId;
      if (record) core.idempotency.complete(record, saved);
      record = undefined;
      core.afterRequest(method);
      if (dropAfter) {
        req.socket.destroy();
        return;
      }
      send(res, saved, baseHeaders);
    } catch (err) {
      if (record) core.idempotency.release(record);
      const saved = err instanceof StripeApiError ? serializeError(err) : serializeError(apiError());
      if (!(err instanceof StripeApiError)) console.error('stripe-simulator: request failed', err);
      send(res, saved, baseHeaders);
    }
  };

  const server = http.createServer((req, res) => {
    void handle(req, res);
  });
  return { server, hanging };
}
