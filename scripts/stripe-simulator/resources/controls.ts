// Simulator-only controls over HTTP, for scripts and other processes: fault injection, clock,
// webhook delivery switches. No API key needed; the simulator only listens on localhost.
import type { SimulatorCore } from '../core';
import { invalidRequest } from '../errors';
import { FAULT_KINDS, type FaultKind, type FaultRule } from '../faults';
import { optBool, optInt, optString, reqString } from '../params';
import type { RequestContext } from '../router';

function faultRule(ctx: RequestContext): FaultRule {
  const kind = reqString(ctx.params, 'kind');
  if (!(FAULT_KINDS as readonly string[]).includes(kind)) throw invalidRequest(`kind must be one of ${FAULT_KINDS.join(', ')}`, 'kind');
  const count = optInt(ctx.params, 'count');
  const probabilityText = optString(ctx.params, 'probability');
  const probability = probabilityText === undefined ? undefined : Number(probabilityText);
  const method = optString(ctx.params, 'method');
  const path = optString(ctx.params, 'path');
  const delayMs = optInt(ctx.params, 'delay_ms');
  return {
    kind: kind as FaultKind,
    ...(count !== undefined ? { count } : {}),
    ...(probability !== undefined ? { probability } : {}),
    ...(method !== undefined ? { method } : {}),
    ...(path !== undefined ? { path } : {}),
    ...(delayMs !== undefined ? { delayMs } : {}),
  };
}

export function registerControls(core: SimulatorCore): void {
  const r = core.router;
  const open = { auth: false };
  r.get('/_simulator/faults', (ctx) => ({ object: 'list', data: ctx.core.faults.list() }), open);
  r.post(
    '/_simulator/faults',
    (ctx) => {
      try {
        return { id: ctx.core.faults.inject(faultRule(ctx)) };
      } catch (err) {
        if (err instanceof RangeError) throw invalidRequest(err.message);
        throw err;
      }
    },
    open,
  );
  r.delete(
    '/_simulator/faults',
    (ctx) => {
      ctx.core.faults.clear();
      return { cleared: true };
    },
    open,
  );
  r.delete(
    '/_simulator/faults/:id',
    (ctx) => {
      ctx.core.faults.remove(ctx.pathParams['id']!);
      return { deleted: true };
    },
    open,
  );
  r.get('/_simulator/clock', (ctx) => ({ now: ctx.core.clock.nowSeconds(), offset: ctx.core.clock.offset }), open);
  r.post(
    '/_simulator/clock/advance',
    async (ctx) => {
      const seconds = optInt(ctx.params, 'seconds');
      if (seconds === undefined || seconds < 0) throw invalidRequest('seconds must be a non-negative integer', 'seconds');
      const now = await ctx.core.clock.advance(seconds);
      return { now, offset: ctx.core.clock.offset };
    },
    open,
  );
  r.post(
    '/_simulator/rate_limit',
    (ctx) => {
      const enabled = optBool(ctx.params, 'enabled') ?? true;
      const read = optInt(ctx.params, 'read_per_second') ?? 25;
      const write = optInt(ctx.params, 'write_per_second') ?? 25;
      ctx.core.rateLimiter.limits = enabled ? { readPerSecond: read, writePerSecond: write } : undefined;
      return { enabled, read_per_second: read, write_per_second: write };
    },
    open,
  );
  r.post(
    '/_simulator/reset',
    (ctx) => {
      // Webhook endpoints stay unless asked, so a dev stack keeps receiving events after a reset.
      const keepEndpoints = optBool(ctx.params, 'keep_webhook_endpoints') ?? true;
      const endpoints = ctx.core.store.snapshot()['webhook_endpoint'];
      ctx.core.store.restore(keepEndpoints && endpoints ? { webhook_endpoint: endpoints } : {});
      ctx.core.idempotency.restore([]);
      ctx.core.faults.clear();
      ctx.core.store.changed();
      return { reset: true, kept_webhook_endpoints: keepEndpoints };
    },
    open,
  );
  r.get('/_simulator/health', () => ({ ok: true }), open);
}
