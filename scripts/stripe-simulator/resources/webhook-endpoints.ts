// Webhook endpoints: create, retrieve, update, list, delete. The signing secret is returned only
// by create, as Stripe does; it stays on the stored object because delivery signs with it.
import type { SimulatorCore } from '../core';
import { invalidParam, invalidRequest, missingParam } from '../errors';
import type { FormObject } from '../form';
import { allowOnly, applyMetadata, optBool, optNullableString, optString, optStringArray, paginate, reqString } from '../params';
import type { RequestContext } from '../router';
import type { StripeObject } from '../store';
import { createWebhookEndpoint, type WebhookEndpointObject } from '../webhooks';

const COLLECTION = 'webhook_endpoint';

/** Event type names look like `customer.created` or `checkout.session.async_payment_failed`. */
const EVENT_TYPE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

function enabledEvents(params: FormObject, required: boolean): string[] | undefined {
  const events = optStringArray(params, 'enabled_events');
  if (events === undefined) {
    if (required) throw missingParam('enabled_events');
    return undefined;
  }
  if (events.length === 0) throw invalidParam('enabled_events', 'enabled_events must contain at least one event type.', 'parameter_invalid_empty');
  events.forEach((type, i) => {
    if (type !== '*' && !EVENT_TYPE.test(type)) {
      throw invalidParam(`enabled_events[${i}]`, `Invalid enabled_events[${i}]: must be '*' or an event type such as 'payment_intent.succeeded'`, 'parameter_invalid_string');
    }
  });
  return [...new Set(events)];
}

function endpointUrl(params: FormObject, required: boolean): string | undefined {
  const value = required ? reqString(params, 'url') : optString(params, 'url');
  if (value === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw invalidRequest(`Invalid URL: ${value}`, 'url', 'url_invalid');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw invalidRequest(`Invalid URL: ${value}. URLs must use http or https.`, 'url', 'url_invalid');
  }
  if (value.length > 5000) throw invalidRequest('Invalid URL: longer than 5000 characters.', 'url', 'url_invalid');
  return value;
}

function description(params: FormObject): string | null | undefined {
  const v = optNullableString(params, 'description');
  if (typeof v === 'string' && v.length > 5000) throw invalidParam('description', 'description must be at most 5000 characters.', 'parameter_invalid_string');
  return v;
}

/** What every read returns: the object without its secrets. */
export function publicEndpoint(endpoint: WebhookEndpointObject): StripeObject {
  const { secret: _secret, previous_secrets: _previous, ...rest } = endpoint;
  return rest;
}

function create(ctx: RequestContext): StripeObject {
  allowOnly(ctx.params, ['api_version', 'connect', 'description', 'enabled_events', 'metadata', 'url']);
  const url = endpointUrl(ctx.params, true)!;
  const events = enabledEvents(ctx.params, true)!;
  const desc = description(ctx.params);
  const apiVersion = optString(ctx.params, 'api_version');
  if (optBool(ctx.params, 'connect') === true) {
    throw invalidRequest('Connect webhook endpoints are not supported by this simulator.', 'connect');
  }
  const metadata = applyMetadata({}, ctx.params);
  const endpoint = createWebhookEndpoint(
    ctx.core,
    { url, enabledEvents: events },
    { description: desc ?? null, metadata, api_version: apiVersion ?? null },
  );
  const { previous_secrets: _previous, ...shown } = endpoint;
  return shown;
}

function retrieve(ctx: RequestContext): StripeObject {
  return publicEndpoint(ctx.core.store.require<WebhookEndpointObject>(COLLECTION, ctx.pathParams['id']!));
}

function update(ctx: RequestContext): StripeObject {
  allowOnly(ctx.params, ['description', 'disabled', 'enabled_events', 'metadata', 'url']);
  const current = ctx.core.store.require<WebhookEndpointObject>(COLLECTION, ctx.pathParams['id']!);
  const next = structuredClone(current);
  const url = endpointUrl(ctx.params, false);
  if (url !== undefined) next.url = url;
  const events = enabledEvents(ctx.params, false);
  if (events !== undefined) next.enabled_events = events;
  const desc = description(ctx.params);
  if (desc !== undefined) next['description'] = desc;
  const disabled = optBool(ctx.params, 'disabled');
  if (disabled !== undefined) next.status = disabled ? 'disabled' : 'enabled';
  next['metadata'] = applyMetadata(current['metadata'] as Record<string, string>, ctx.params);
  ctx.core.store.put(COLLECTION, next);
  return publicEndpoint(next);
}

function remove(ctx: RequestContext): StripeObject {
  // As Stripe: a delete takes no parameters, so options sent as parameters by mistake are refused, not ignored.
  allowOnly(ctx.params, []);
  const endpoint = ctx.core.store.require<WebhookEndpointObject>(COLLECTION, ctx.pathParams['id']!);
  ctx.core.store.remove(COLLECTION, endpoint.id);
  return { id: endpoint.id, object: 'webhook_endpoint', deleted: true };
}

function list(ctx: RequestContext): unknown {
  allowOnly(ctx.params, ['ending_before', 'limit', 'starting_after']);
  const page = paginate(ctx.core.store.all<WebhookEndpointObject>(COLLECTION), ctx.params, '/v1/webhook_endpoints');
  return { ...page, data: page.data.map(publicEndpoint) };
}

export function registerWebhookEndpoints(core: SimulatorCore): void {
  const r = core.router;
  r.post('/v1/webhook_endpoints', create);
  r.get('/v1/webhook_endpoints', list);
  r.get('/v1/webhook_endpoints/:id', retrieve);
  r.post('/v1/webhook_endpoints/:id', update);
  r.delete('/v1/webhook_endpoints/:id', remove);
}
