// Events: retrieve and list (`type` with `*` wildcards, `types[]`, `created`), kept 30 days.
import type { SimulatorCore } from '../core';
import { invalidRequest } from '../errors';
import type { StripeEvent } from '../events';
import { allowOnly, filterCreated, optBool, optString, optStringArray, paginate } from '../params';
import type { RequestContext } from '../router';

function typeMatcher(pattern: string): (type: string) => boolean {
  if (!pattern.includes('*')) return (t) => t === pattern;
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return (t) => re.test(t);
}

function list(ctx: RequestContext): unknown {
  allowOnly(ctx.params, ['created', 'delivery_success', 'ending_before', 'limit', 'starting_after', 'type', 'types']);
  ctx.core.events.prune();
  let items = filterCreated(ctx.core.store.all<StripeEvent>('event'), ctx.params);
  const type = optString(ctx.params, 'type');
  const types = optStringArray(ctx.params, 'types');
  if (type !== undefined && types !== undefined) throw invalidRequest('You may only specify one of these parameters: type, types.', 'types');
  if (type !== undefined) {
    const m = typeMatcher(type);
    items = items.filter((e) => m(e.type));
  }
  if (types !== undefined) {
    if (types.length > 20) throw invalidRequest('You may pass at most 20 types.', 'types');
    items = items.filter((e) => types.includes(e.type));
  }
  // Delivered to every endpoint it was sent to, or not yet.
  const delivered = optBool(ctx.params, 'delivery_success');
  if (delivered !== undefined) items = items.filter((e) => (e.pending_webhooks === 0) === delivered);
  return paginate(items, ctx.params, '/v1/events', ctx.core.store.rankOf('event'));
}

function retrieve(ctx: RequestContext): unknown {
  ctx.core.events.prune();
  return ctx.core.store.require('event', ctx.pathParams['id']!);
}

export function registerEvents(core: SimulatorCore): void {
  core.router.get('/v1/events', list);
  core.router.get('/v1/events/:id', retrieve);
}
