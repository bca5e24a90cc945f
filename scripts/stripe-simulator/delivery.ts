// Webhook delivery: every recorded event is POSTed to the enabled endpoints that want its type,
// signed as Stripe signs (`Stripe-Signature: t=…,v1=…`, HMAC-SHA256 of `${t}.${body}` keyed with
// the endpoint secret), retried with exponential backoff on anything but a 2xx. Switches make it
// deliver duplicates and out of order, because Stripe guarantees neither uniqueness nor order.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { SimulatorCore } from './core';
import { invalidRequest } from './errors';
import type { StripeEvent } from './events';
import { newId } from './ids';
import { optBool, optInt, optString } from './params';
import type { RequestContext } from './router';
import { endpointWants, newWebhookSecret, type WebhookControls, type WebhookDelivery, type WebhookDeliveryOptions, type WebhookEndpointObject } from './webhooks';

export const DEFAULT_DELIVERY_OPTIONS: Required<WebhookDeliveryOptions> = {
  duplicates: 0,
  outOfOrder: false,
  retryBaseMs: 2000,
  maxAttempts: 6,
  timeoutMs: 10_000,
  holdMs: 250,
};

/** Stripe lets a rolled secret stay valid for up to 24 hours. */
const MAX_ROLL_EXPIRY_SECONDS = 24 * 60 * 60;

/** Kept in memory for inspection; older entries are dropped. */
const MAX_DELIVERY_LOG = 2000;

/** The `Stripe-Signature` header: one `v1=` per valid secret, all over the same timestamp. */
export function signatureHeader(payload: string, secrets: readonly string[], timestampSeconds: number): string {
  const signatures = secrets.map((secret) => `v1=${createHmac('sha256', secret).update(`${timestampSeconds}.${payload}`, 'utf8').digest('hex')}`);
  return [`t=${timestampSeconds}`, ...signatures].join(',');
}

interface Job {
  eventId: string;
  snapshot: StripeEvent;
  endpointId: string;
  attempt: number;
}

type PostResult = { status: number } | { error: string };

export interface WebhookDeliveryHandle {
  controls: WebhookControls;
  /** Cancels pending retries and in-flight requests. */
  stop(): void;
}

function validate(options: WebhookDeliveryOptions): void {
  const nonNegative = (name: string, v: number | undefined): void => {
    if (v !== undefined && (!Number.isInteger(v) || v < 0)) throw new RangeError(`${name} must be a non-negative integer`);
  };
  nonNegative('duplicates', options.duplicates);
  nonNegative('retryBaseMs', options.retryBaseMs);
  nonNegative('timeoutMs', options.timeoutMs);
  nonNegative('holdMs', options.holdMs);
  if (options.maxAttempts !== undefined && (!Number.isInteger(options.maxAttempts) || options.maxAttempts < 1)) {
    throw new RangeError('maxAttempts must be a positive integer');
  }
}

export function startWebhookDelivery(core: SimulatorCore, initial: WebhookDeliveryOptions = {}): WebhookDeliveryHandle {
  validate(initial);
  const options: Required<WebhookDeliveryOptions> = { ...DEFAULT_DELIVERY_OPTIONS, ...initial };
  const log: WebhookDelivery[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const requests = new Set<http.ClientRequest>();
  /** (event, endpoint) pairs already delivered, so duplicates do not count twice in pending_webhooks. */
  const delivered = new Set<string>();
  let held: Job[] = [];
  let holdTimer: NodeJS.Timeout | undefined;
  let active = 0;
  let waiters: (() => void)[] = [];
  let stopped = false;

  const later = (ms: number, fn: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  const finish = (): void => {
    if (stopped) return;
    active -= 1;
    if (active === 0) {
      const ready = waiters;
      waiters = [];
      for (const resolve of ready) resolve();
    }
  };

  const endpoints = (): WebhookEndpointObject[] => core.store.all<WebhookEndpointObject>('webhook_endpoint');

  const validSecrets = (endpoint: WebhookEndpointObject): string[] => {
    const now = core.clock.globalNowSeconds();
    const previous = (endpoint.previous_secrets ?? []).filter((p) => p.expires_at > now).map((p) => p.secret);
    return [endpoint.secret ?? '', ...previous].filter((s) => s !== '');
  };

  const post = (url: string, body: string, headers: Record<string, string>): Promise<PostResult> =>
    new Promise((resolve) => {
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        resolve({ error: `invalid URL ${url}` });
        return;
      }
      const client = target.protocol === 'https:' ? https : http;
      // No keep-alive: an idle pooled socket would outlive stop() and hold test runners open.
      const req = client.request(target, { method: 'POST', agent: false, headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close' } });
      requests.add(req);
      const done = (result: PostResult): void => {
        requests.delete(req);
        resolve(result);
      };
      req.setTimeout(options.timeoutMs, () => req.destroy(new Error(`timed out after ${options.timeoutMs} ms`)));
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => done({ status: res.statusCode ?? 0 }));
        res.on('error', (err) => done({ error: err.message }));
      });
      req.on('error', (err) => done({ error: err.message }));
      req.end(body);
    });

  const attempt = async (job: Job): Promise<void> => {
    const endpoint = core.store.get<WebhookEndpointObject>('webhook_endpoint', job.endpointId);
    // Deleted or disabled endpoints get nothing more, retries included.
    if (stopped || !endpoint || endpoint.status !== 'enabled') {
      finish();
      return;
    }
    const event = core.store.get<StripeEvent>('event', job.eventId) ?? job.snapshot;
    const payload = JSON.stringify(event, null, 2);
    const timestamp = Math.floor(Date.now() / 1000);
    const result = await post(endpoint.url, payload, {
      'Content-Type': 'application/json; charset=utf-8',
      'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
      Accept: '*/*; q=0.5, application/xml',
      'Cache-Control': 'no-cache',
      'Stripe-Signature': signatureHeader(payload, validSecrets(endpoint), timestamp),
    });
    if (stopped) {
      finish();
      return;
    }
    const status = 'status' in result ? result.status : null;
    log.push({
      id: newId('whd'),
      eventId: job.eventId,
      eventType: event.type,
      endpointId: endpoint.id,
      url: endpoint.url,
      attempt: job.attempt,
      status,
      ...('error' in result ? { error: result.error } : {}),
      at: Date.now(),
    });
    if (log.length > MAX_DELIVERY_LOG) log.splice(0, log.length - MAX_DELIVERY_LOG);

    if (status !== null && status >= 200 && status < 300) {
      const key = `${job.eventId} ${endpoint.id}`;
      if (!delivered.has(key)) {
        delivered.add(key);
        const stored = core.store.get<StripeEvent>('event', job.eventId);
        if (stored && stored.pending_webhooks > 0) core.store.put('event', { ...stored, pending_webhooks: stored.pending_webhooks - 1 });
      }
      finish();
      return;
    }
    if (job.attempt >= options.maxAttempts) {
      finish();
      return;
    }
    const delay = options.retryBaseMs * 2 ** (job.attempt - 1);
    later(delay, () => void attempt({ ...job, attempt: job.attempt + 1 }));
  };

  const flush = (): void => {
    if (holdTimer) {
      clearTimeout(holdTimer);
      timers.delete(holdTimer);
      holdTimer = undefined;
    }
    // Newest first: the clearest out-of-order case (e.g. `succeeded` before `created`).
    const batch = held.reverse();
    held = [];
    for (const job of batch) later(0, () => void attempt(job));
  };

  const enqueue = (job: Job): void => {
    if (stopped) return;
    active += 1;
    if (options.outOfOrder) {
      held.push(job);
      if (!holdTimer) {
        holdTimer = setTimeout(() => {
          if (holdTimer) timers.delete(holdTimer);
          holdTimer = undefined;
          flush();
        }, options.holdMs);
        timers.add(holdTimer);
      }
      return;
    }
    later(0, () => void attempt(job));
  };

  core.events.setPendingWebhookCounter((type) => endpoints().filter((e) => endpointWants(e, type)).length);
  const unsubscribe = core.events.subscribe((event) => {
    for (const endpoint of endpoints()) {
      if (!endpointWants(endpoint, event.type)) continue;
      for (let copy = 0; copy <= options.duplicates; copy++) {
        enqueue({ eventId: event.id, snapshot: event, endpointId: endpoint.id, attempt: 1 });
      }
    }
  });

  const controls: WebhookControls = {
    deliveries: () => log.map((d) => ({ ...d })),
    configure: (next) => {
      validate(next);
      const wasOutOfOrder = options.outOfOrder;
      Object.assign(options, Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)));
      if (wasOutOfOrder && !options.outOfOrder) flush();
    },
    idle: () => (active === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    flush,
    rollSecret: (endpointId, roll = {}) => {
      const expiresIn = roll.expiresInSeconds ?? MAX_ROLL_EXPIRY_SECONDS;
      if (!Number.isInteger(expiresIn) || expiresIn < 0 || expiresIn > MAX_ROLL_EXPIRY_SECONDS) {
        throw new RangeError(`expiresInSeconds must be an integer between 0 and ${MAX_ROLL_EXPIRY_SECONDS}`);
      }
      const endpoint = core.store.require<WebhookEndpointObject>('webhook_endpoint', endpointId);
      const now = core.clock.globalNowSeconds();
      const previous = (endpoint.previous_secrets ?? []).filter((p) => p.expires_at > now);
      if (expiresIn > 0 && endpoint.secret !== undefined) previous.push({ secret: endpoint.secret, expires_at: now + expiresIn });
      const secret = roll.secret ?? newWebhookSecret();
      core.store.put('webhook_endpoint', { ...endpoint, secret, previous_secrets: previous });
      return { secret };
    },
    endpoints: () =>
      endpoints()
        .reverse()
        .map((e) => ({ id: e.id, url: e.url, secret: e.secret ?? '', enabledEvents: [...e.enabled_events], status: e.status })),
    resend: (eventId, endpointId) => {
      const event = core.store.require<StripeEvent>('event', eventId);
      const targets = endpointId !== undefined ? [core.store.require<WebhookEndpointObject>('webhook_endpoint', endpointId, 'webhook_endpoint')] : endpoints().filter((e) => endpointWants(e, event.type));
      for (const endpoint of targets) enqueue({ eventId: event.id, snapshot: event, endpointId: endpoint.id, attempt: 1 });
    },
  };

  registerDeliveryControls(core, controls, () => ({ ...options }));

  return {
    controls,
    stop: () => {
      stopped = true;
      unsubscribe();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const req of requests) req.destroy();
      requests.clear();
      held = [];
      active = 0;
      const ready = waiters;
      waiters = [];
      for (const resolve of ready) resolve();
    },
  };
}

function rangeToInvalid<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof RangeError) throw invalidRequest(err.message);
    throw err;
  }
}

/** The same switches over HTTP (no API key; the simulator listens on localhost only). */
function registerDeliveryControls(core: SimulatorCore, controls: WebhookControls, current: () => Required<WebhookDeliveryOptions>): void {
  const r = core.router;
  const open = { auth: false };
  r.get('/_simulator/webhooks/deliveries', () => ({ object: 'list', data: controls.deliveries() }), open);
  r.get('/_simulator/webhooks/config', () => current(), open);
  // Like `stripe listen --print-secret`: local tools need the secret the API showed only once.
  r.get('/_simulator/webhook_endpoints', () => ({ object: 'list', data: controls.endpoints() }), open);
  r.post(
    '/_simulator/webhooks/config',
    (ctx: RequestContext) => {
      const p = ctx.params;
      const next: WebhookDeliveryOptions = {};
      const duplicates = optInt(p, 'duplicates');
      if (duplicates !== undefined) next.duplicates = duplicates;
      const outOfOrder = optBool(p, 'out_of_order');
      if (outOfOrder !== undefined) next.outOfOrder = outOfOrder;
      const retryBaseMs = optInt(p, 'retry_base_ms');
      if (retryBaseMs !== undefined) next.retryBaseMs = retryBaseMs;
      const maxAttempts = optInt(p, 'max_attempts');
      if (maxAttempts !== undefined) next.maxAttempts = maxAttempts;
      const timeoutMs = optInt(p, 'timeout_ms');
      if (timeoutMs !== undefined) next.timeoutMs = timeoutMs;
      const holdMs = optInt(p, 'hold_ms');
      if (holdMs !== undefined) next.holdMs = holdMs;
      rangeToInvalid(() => controls.configure(next));
      return current();
    },
    open,
  );
  r.post(
    '/_simulator/webhooks/flush',
    () => {
      controls.flush();
      return { flushed: true };
    },
    open,
  );
  r.post(
    '/_simulator/webhooks/wait',
    async (ctx: RequestContext) => {
      const timeoutMs = optInt(ctx.params, 'timeout_ms') ?? 30_000;
      let timer: NodeJS.Timeout | undefined;
      const idle = await Promise.race([
        controls.idle().then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      return { idle };
    },
    open,
  );
  r.post(
    '/_simulator/webhook_endpoints/:id/roll_secret',
    (ctx: RequestContext) => {
      const expiresIn = optInt(ctx.params, 'expires_in');
      const secret = optString(ctx.params, 'secret');
      const rolled = rangeToInvalid(() =>
        controls.rollSecret(ctx.pathParams['id']!, { ...(expiresIn !== undefined ? { expiresInSeconds: expiresIn } : {}), ...(secret !== undefined ? { secret } : {}) }),
      );
      return { id: ctx.pathParams['id'], object: 'webhook_endpoint', secret: rolled.secret };
    },
    open,
  );
  r.post(
    '/_simulator/events/:id/resend',
    (ctx: RequestContext) => {
      const endpoint = optString(ctx.params, 'webhook_endpoint');
      controls.resend(ctx.pathParams['id']!, endpoint);
      return core.store.require('event', ctx.pathParams['id']!);
    },
    open,
  );
}
