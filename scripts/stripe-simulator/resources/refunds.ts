// Refunds of card charges: full or partial, several per charge, never more than was captured.
import type { SimulatorCore } from '../core';
import { StripeApiError, invalidRequest, stateError, unsimulated } from '../errors';
import { previousAttributes } from '../events';
import { newId, randomString } from '../ids';
import { allowOnly, applyMetadata, filterCreated, optEnum, optInt, optString, paginate } from '../params';
import type { RequestContext } from '../router';
import type { StripeObject } from '../store';
import type { Charge } from './charges';
import type { PaymentIntent } from './payment-intents';
import { testCardOf, type PaymentMethod } from './payment-methods';

export interface Refund extends StripeObject {
  object: 'refund';
  amount: number;
  charge: string;
  created: number;
  currency: string;
  metadata: Record<string, string>;
  payment_intent: string | null;
  reason: string | null;
  status: 'succeeded' | 'pending' | 'failed' | 'canceled' | 'requires_action';
  /** Only once the refund failed, as in Stripe. */
  failure_reason?: string;
  failure_balance_transaction?: string;
}

/**
 * How long after it was accepted a refund of the refundFail card fails. Stripe says "some time
 * later"; past the next second here, so its events are not of the refund's own second.
 */
export const REFUND_FAILURE_DELAY_MS = 1_200;

const REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'] as const;

function chargeFor(ctx: RequestContext): Charge {
  const chargeId = optString(ctx.params, 'charge');
  const piId = optString(ctx.params, 'payment_intent');
  if (chargeId !== undefined && piId !== undefined) throw invalidRequest('You may only specify one of these parameters: charge, payment_intent.', 'charge');
  if (chargeId !== undefined) return ctx.core.store.require<Charge>('charge', chargeId, 'charge');
  if (piId === undefined) throw invalidRequest('One of the following params should be provided for this request: payment_intent or charge.', undefined, 'parameter_missing');
  const pi = ctx.core.store.require<PaymentIntent>('payment_intent', piId, 'payment_intent');
  const charge = pi.latest_charge ? ctx.core.store.get<Charge>('charge', pi.latest_charge) : undefined;
  if (!charge || charge.status !== 'succeeded') {
    throw stateError(`This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, 'charge_not_refundable', { param: 'payment_intent' });
  }
  return charge;
}

/** Refunds part or all of a charge; shared with other flows that refund (e.g. checkout, disputes). */
export function refundCharge(
  core: SimulatorCore,
  emit: (type: string, object: StripeObject, prev?: Record<string, unknown>) => unknown,
  charge: Charge,
  options: { amount?: number; reason?: string | null; metadata?: Record<string, string> } = {},
): Refund {
  if (!charge.captured) {
    throw stateError(`Charge ${charge.id} has not been captured; cancel its PaymentIntent to release the authorization instead.`, 'charge_not_refundable');
  }
  const remaining = charge.amount - charge.amount_refunded;
  if (remaining <= 0) {
    throw stateError(`Charge ${charge.id} has already been refunded.`, 'charge_already_refunded');
  }
  const amount = options.amount ?? remaining;
  if (amount < 1) throw invalidRequest('This value must be greater than or equal to 1.', 'amount', 'parameter_invalid_integer');
  if (amount > remaining) {
    throw new StripeApiError(400, {
      type: 'invalid_request_error',
      param: 'amount',
      message: `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`,
    });
  }
  const refund: Refund = {
    id: newId('re'),
    object: 'refund',
    amount,
    balance_transaction: newId('txn'),
    charge: charge.id,
    created: core.clock.nowSeconds(),
    currency: charge.currency,
    customer: charge.customer,
    customer_account: null,
    destination_details: { card: { reference: randomString(12), reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' }, type: 'card' },
    metadata: options.metadata ?? {},
    payment_intent: charge.payment_intent,
    payment_method: charge['payment_method'] ?? null,
    reason: options.reason ?? null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
  };
  const nextCharge: Charge = { ...structuredClone(charge), amount_refunded: charge.amount_refunded + amount };
  nextCharge.refunded = nextCharge.amount_refunded >= nextCharge.amount;
  core.store.insert('refund', refund);
  core.store.put('charge', nextCharge);
  emit('refund.created', refund);
  emit('charge.refunded', nextCharge, previousAttributes(charge, nextCharge));
  const pm = typeof charge['payment_method'] === 'string' ? core.store.get<PaymentMethod>('payment_method', charge['payment_method']) : undefined;
  if (pm && testCardOf(core, pm).refunds === 'fail') {
    const timers = pendingFailures(core);
    const timer = setTimeout(() => {
      timers.delete(timer);
      failRefund(core, refund.id);
    }, REFUND_FAILURE_DELAY_MS);
    timer.unref();
    timers.add(timer);
  }
  return refund;
}

/** Refund failures still to come, per simulator, so that stopping it leaves none to fire. */
const scheduledFailures = new WeakMap<SimulatorCore, Set<NodeJS.Timeout>>();

function pendingFailures(core: SimulatorCore): Set<NodeJS.Timeout> {
  let set = scheduledFailures.get(core);
  if (!set) scheduledFailures.set(core, (set = new Set()));
  return set;
}

export function cancelScheduledRefundFailures(core: SimulatorCore): void {
  for (const timer of pendingFailures(core)) clearTimeout(timer);
  pendingFailures(core).clear();
}

/**
 * The card's bank refuses the refund after Stripe accepted it: the refund becomes `failed`, the
 * money returns to the balance, so the charge's amount_refunded drops by it, and Stripe sends
 * charge.refund.updated and refund.updated (with the status before) and refund.failed.
 */
export function failRefund(core: SimulatorCore, refundId: string, failureReason = 'expired_or_canceled_card'): Refund | undefined {
  const refund = core.store.get<Refund>('refund', refundId);
  const charge = refund ? core.store.get<Charge>('charge', refund.charge) : undefined;
  if (!refund || !charge || refund.status !== 'succeeded') return undefined;
  const failed: Refund = { ...refund, status: 'failed', failure_reason: failureReason, failure_balance_transaction: newId('txn') };
  const nextCharge: Charge = { ...structuredClone(charge), amount_refunded: Math.max(0, charge.amount_refunded - refund.amount) };
  nextCharge.refunded = nextCharge.amount_refunded >= nextCharge.amount;
  core.store.put('refund', failed);
  core.store.put('charge', nextCharge);
  // The failure fields were absent before: listed as null, as Stripe lists them.
  const before = previousAttributes(refund, failed);
  core.events.emit('charge.refund.updated', failed, before);
  core.events.emit('refund.updated', failed, before);
  core.events.emit('refund.failed', failed);
  // Outside any request: saved as a request's changes are.
  core.afterRequest('POST');
  return failed;
}

function create(ctx: RequestContext): Refund {
  // instructions_email only matters for refunds that need the customer's bank details, never for cards.
  allowOnly(ctx.params, ['amount', 'charge', 'payment_intent', 'reason', 'metadata', 'instructions_email', 'origin', 'refund_application_fee', 'reverse_transfer', 'currency', 'customer']);
  for (const [name, what] of [
    ['origin', 'customer balance refunds'],
    ['currency', 'customer balance refunds'],
    ['customer', 'customer balance refunds'],
    ['refund_application_fee', 'Connect'],
    ['reverse_transfer', 'Connect'],
  ] as const) {
    if (ctx.params[name] !== undefined) throw unsimulated(name, what);
  }
  const charge = chargeFor(ctx);
  const amount = optInt(ctx.params, 'amount');
  const reason = optEnum(ctx.params, 'reason', REASONS);
  const metadata = applyMetadata({}, ctx.params);
  return refundCharge(ctx.core, ctx.emit, charge, {
    ...(amount !== undefined ? { amount } : {}),
    reason: reason ?? null,
    metadata,
  });
}

function retrieve(ctx: RequestContext): StripeObject {
  return ctx.core.store.require('refund', ctx.pathParams['id']!);
}

function update(ctx: RequestContext): Refund {
  allowOnly(ctx.params, ['metadata']);
  const refund = ctx.core.store.require<Refund>('refund', ctx.pathParams['id']!);
  const next = { ...refund, metadata: applyMetadata(refund.metadata, ctx.params) };
  ctx.core.store.put('refund', next);
  const prev = previousAttributes(refund, next);
  if (Object.keys(prev).length > 0) ctx.emit('refund.updated', next, prev);
  return next;
}

function cancel(ctx: RequestContext): never {
  const refund = ctx.core.store.require<Refund>('refund', ctx.pathParams['id']!);
  throw stateError(`Refund ${refund.id} cannot be canceled because it has a status of ${refund.status}. Only refunds with a status of requires_action can be canceled.`, 'refund_unexpected_state');
}

function list(ctx: RequestContext): unknown {
  allowOnly(ctx.params, ['charge', 'payment_intent', 'created', 'limit', 'starting_after', 'ending_before']);
  let items = filterCreated(ctx.core.store.all<Refund>('refund'), ctx.params);
  const charge = optString(ctx.params, 'charge');
  if (charge !== undefined) items = items.filter((r) => r.charge === charge);
  const pi = optString(ctx.params, 'payment_intent');
  if (pi !== undefined) items = items.filter((r) => r.payment_intent === pi);
  return paginate(items, ctx.params, '/v1/refunds', ctx.core.store.rankOf('refund'));
}

export function registerRefunds(core: SimulatorCore): void {
  const r = core.router;
  r.post('/v1/refunds', create);
  r.get('/v1/refunds', list);
  r.get('/v1/refunds/:id', retrieve);
  r.post('/v1/refunds/:id', update);
  r.post('/v1/refunds/:id/cancel', cancel);
}
