// Subscriptions: created by subscription-mode checkout (or the API), billed in advance each
// period through an invoice, renewed when simulated time passes the period end, canceled at
// period end or immediately. Retrieve, list, update, cancel.
import type { SimulatorCore } from '../core';
import { type StripeApiError, cardError, invalidRequest, missingParam, stateError, unsimulated } from '../errors';
import { previousAttributes } from '../events';
import type { FormObject } from '../form';
import { newId, randomString } from '../ids';
import { allowNested, allowOnly, applyMetadata, filterCreated, optArray, optBool, optEnum, optInt, optNullableString, optObject, optString, paginate, reqString } from '../params';
import type { RequestContext } from '../router';
import type { StripeObject } from '../store';
import { assertClockReady, atCustomerTime, clockIdOfCustomer } from '../test-clock-time';
import { createSubscriptionInvoice, markInvoicePaid, payInvoiceOffSession, type Invoice } from './invoices';
import type { Emit, PaymentIntent } from './payment-intents';
import type { Price, Recurring } from './prices';
import { resolvePaymentMethod } from './payment-methods';

export type SubscriptionStatus = 'incomplete' | 'incomplete_expired' | 'trialing' | 'active' | 'past_due' | 'canceled' | 'unpaid' | 'paused';

export interface SubscriptionItem extends StripeObject {
  object: 'subscription_item';
  current_period_end: number;
  current_period_start: number;
  price: Price;
  quantity: number;
  subscription: string;
}

export interface Subscription extends StripeObject {
  object: 'subscription';
  cancel_at: number | null;
  cancel_at_period_end: boolean;
  canceled_at: number | null;
  cancellation_details: { comment: string | null; feedback: string | null; reason: string | null };
  created: number;
  currency: string;
  customer: string;
  default_payment_method: string | null;
  ended_at: number | null;
  items: { object: 'list'; data: SubscriptionItem[]; has_more: false; url: string };
  latest_invoice: string | null;
  metadata: Record<string, string>;
  status: SubscriptionStatus;
}

const COLLECTION = 'subscription';
const LIVE: SubscriptionStatus[] = ['active', 'past_due', 'trialing', 'unpaid'];

/** The end of a billing period starting at `start` (UTC calendar arithmetic, as Stripe bills). */
export function addInterval(startSeconds: number, recurring: Pick<Recurring, 'interval' | 'interval_count'>): number {
  const d = new Date(startSeconds * 1000);
  const n = recurring.interval_count;
  switch (recurring.interval) {
    case 'day':
      d.setUTCDate(d.getUTCDate() + n);
      break;
    case 'week':
      d.setUTCDate(d.getUTCDate() + 7 * n);
      break;
    case 'month': {
      const day = d.getUTCDate();
      d.setUTCDate(1);
      d.setUTCMonth(d.getUTCMonth() + n);
      // Anchored on the 31st, a month without one bills on its last day.
      const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
      d.setUTCDate(Math.min(day, last));
      break;
    }
    case 'year':
      d.setUTCFullYear(d.getUTCFullYear() + n);
      break;
  }
  return Math.floor(d.getTime() / 1000);
}

export function periodEnd(sub: Subscription): number {
  return Math.min(...sub.items.data.map((i) => i.current_period_end));
}

function periodStart(sub: Subscription): number {
  return Math.min(...sub.items.data.map((i) => i.current_period_start));
}

export interface NewSubscription {
  customer: string;
  lines: { price: Price; quantity: number }[];
  metadata?: Record<string, string>;
  paymentMethod: string | null;
  /** A payment already taken for the first invoice (subscription-mode checkout). */
  firstPayment?: PaymentIntent;
  /** Stripe's default, `allow_incomplete`, keeps an unpaid subscription `incomplete`; `error_if_incomplete` refuses it. */
  paymentBehavior?: 'allow_incomplete' | 'error_if_incomplete';
  description?: string | null;
}

/**
 * Creates a subscription the way Stripe reports it: `customer.subscription.created` (incomplete),
 * the first invoice's events, then `customer.subscription.updated` once it is paid.
 */
export function createSubscription(core: SimulatorCore, emit: Emit, n: NewSubscription): { subscription: Subscription; invoice: Invoice; paid: boolean } {
  // A customer on a test clock subscribes at that clock's time, and the subscription joins the clock.
  return atCustomerTime(core, n.customer, () => createSubscriptionNow(core, emit, n));
}

function createSubscriptionNow(core: SimulatorCore, emit: Emit, n: NewSubscription): { subscription: Subscription; invoice: Invoice; paid: boolean } {
  if (n.lines.length === 0) throw missingParam('items');
  const currency = n.lines[0]!.price.currency;
  for (const line of n.lines) {
    if (line.price.type !== 'recurring' || !line.price.recurring) throw invalidRequest(`The price specified (${line.price.id}) is not recurring.`, 'items');
    if (line.price.currency !== currency) throw invalidRequest('All prices on a subscription must have the same currency.', 'items');
  }
  const id = newId('sub');
  const now = core.clock.nowSeconds();
  const sub: Subscription = {
    id,
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { enabled: false, liability: null, disabled_reason: null },
    billing_cycle_anchor: now,
    billing_cycle_anchor_config: null,
    // updated_at is optional, not nullable: Stripe leaves it out until the mode is changed.
    billing_mode: { flexible: null, type: 'classic' },
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, reason: null },
    collection_method: 'charge_automatically',
    created: now,
    currency,
    customer: n.customer,
    days_until_due: null,
    default_payment_method: n.paymentMethod,
    default_source: null,
    default_tax_rates: [],
    description: n.description ?? null,
    discounts: [],
    ended_at: null,
    invoice_settings: { account_tax_ids: null, issuer: { type: 'self' } },
    items: {
      object: 'list',
      data: n.lines.map((l) => ({
        id: `si_${randomString(14)}`,
        object: 'subscription_item',
        billing_thresholds: null,
        created: now,
        current_period_end: addInterval(now, l.price.recurring!),
        current_period_start: now,
        discounts: [],
        metadata: {},
        price: structuredClone(l.price),
        quantity: l.quantity,
        subscription: id,
        tax_rates: [],
      })),
      has_more: false,
      url: `/v1/subscription_items?subscription=${id}`,
    },
    latest_invoice: null,
    livemode: false,
    metadata: n.metadata ?? {},
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: 'off' },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: now,
    status: 'incomplete',
    test_clock: clockIdOfCustomer(core, n.customer),
    transfer_data: null,
    trial_end: null,
    trial_settings: { end_behavior: { missing_payment_method: 'create_invoice' } },
    trial_start: null,
  };
  core.store.insert(COLLECTION, sub);
  // Stripe pays the first invoice within the create call, so `customer.subscription.created`
  // already shows the outcome: active when paid, incomplete only when it could not be. The
  // invoice's and payment's events are held until it is recorded, to keep it first.
  const held: Parameters<Emit>[] = [];
  const hold: Emit = (type, object, prev) => held.push([type, structuredClone(object), prev]);

  const invoice = createSubscriptionInvoice(core, hold, {
    customer: n.customer,
    subscription: id,
    currency,
    lines: sub.items.data.map((i) => ({ price: i.price, quantity: i.quantity, subscriptionItem: i.id })),
    billingReason: 'subscription_create',
    period: { start: now, end: periodEnd(sub) },
    subscriptionMetadata: sub.metadata,
  });
  let paid: boolean;
  let attempt: PaymentIntent | null = null;
  if (n.firstPayment) {
    markInvoicePaid(core, hold, invoice.id, n.firstPayment);
    paid = true;
  } else {
    ({ paid, paymentIntent: attempt } = payInvoiceOffSession(core, hold, invoice, n.paymentMethod));
  }
  const next = structuredClone(sub);
  next.latest_invoice = invoice.id;
  if (paid) next.status = 'active';
  if (!paid && n.paymentBehavior === 'error_if_incomplete') {
    // No subscription is left behind, and none of its events are sent: the caller gets the 402.
    core.store.remove(COLLECTION, sub.id);
    core.store.remove('invoice', invoice.id);
    throw paymentFailure(attempt);
  }
  core.store.put(COLLECTION, next);
  emit('customer.subscription.created', next);
  for (const [type, object, prev] of held) emit(type, object, prev);
  return { subscription: next, invoice: core.store.require<Invoice>('invoice', invoice.id), paid };
}

/** The 402 of `payment_behavior=error_if_incomplete` when the first invoice could not be paid. */
function paymentFailure(attempt: PaymentIntent | null): StripeApiError {
  const error = attempt?.last_payment_error as { code?: string; decline_code?: string; message?: string } | null | undefined;
  return cardError({
    code: error?.code ?? 'card_declined',
    ...(error?.decline_code !== undefined ? { decline_code: error.decline_code } : {}),
    message: error?.message ?? 'Your card was declined.',
    ...(attempt ? { payment_intent: structuredClone(attempt) } : {}),
  });
}

function endSubscription(core: SimulatorCore, emit: Emit, current: Subscription, at: number, reason: string): Subscription {
  const next = structuredClone(current);
  next.status = 'canceled';
  next.ended_at = at;
  next.canceled_at = current.canceled_at ?? at;
  next.cancellation_details = { ...next.cancellation_details, reason };
  core.store.put(COLLECTION, next);
  emit('customer.subscription.deleted', next, previousAttributes(current, next));
  return next;
}

/**
 * Bills every period that has ended by `now`; ends subscriptions set to cancel at period end.
 * `testClock` null renews the subscriptions on the simulator's clock; a clock id renews those on
 * that test clock, each period at the moment it ends (the clock's time passes through it).
 */
export function renewDue(core: SimulatorCore, now: number, testClock: string | null = null): void {
  const emit: Emit = (type, object, prev) => core.events.emit(type, object, prev);
  const onClock = (s: Subscription) => ((s['test_clock'] as string | null | undefined) ?? null) === testClock;
  for (const listed of core.store.all<Subscription>(COLLECTION).filter(onClock)) {
    let sub = listed;
    // A guard against runaway loops when time jumps years ahead with daily billing.
    for (let i = 0; i < 2000 && LIVE.includes(sub.status) && periodEnd(sub) <= now; i++) {
      const end = periodEnd(sub);
      sub = core.clock.at(testClock === null ? undefined : end, () => renewOnce(core, emit, sub, end));
      if (sub.status === 'canceled') break;
    }
  }
}

function renewOnce(core: SimulatorCore, emit: Emit, sub: Subscription, end: number): Subscription {
  if (sub.cancel_at_period_end || (sub.cancel_at !== null && sub.cancel_at <= end)) {
    return endSubscription(core, emit, sub, end, 'cancellation_requested');
  }
  const before = sub;
  const next = structuredClone(sub);
  const previousStart = periodStart(sub);
  for (const item of next.items.data) {
    item.current_period_start = item.current_period_end;
    item.current_period_end = addInterval(item.current_period_end, item.price.recurring!);
  }
  core.store.put(COLLECTION, next);
  const invoice = createSubscriptionInvoice(core, emit, {
    customer: next.customer,
    subscription: next.id,
    currency: next.currency,
    lines: next.items.data.map((it) => ({ price: it.price, quantity: it.quantity, subscriptionItem: it.id })),
    billingReason: 'subscription_cycle',
    period: { start: periodStart(next), end: periodEnd(next) },
    previousPeriodStart: previousStart,
    subscriptionMetadata: next.metadata,
  });
  const { paid } = payInvoiceOffSession(core, emit, invoice, next.default_payment_method);
  next.latest_invoice = invoice.id;
  next.status = paid ? 'active' : 'past_due';
  core.store.put(COLLECTION, next);
  emit('customer.subscription.updated', next, previousAttributes(before, next));
  return next;
}

function priceOf(core: SimulatorCore, id: string, param: string): Price {
  const price = core.store.require<Price>('price', id, param);
  if (!price.active) throw invalidRequest(`The price specified is inactive. This subscription cannot be created with an inactive price.`, param);
  return price;
}

function create(ctx: RequestContext): Subscription {
  allowOnly(ctx.params, ['customer', 'items', 'default_payment_method', 'metadata', 'payment_behavior', 'off_session', 'collection_method', 'description']);
  const paymentBehavior = optEnum(ctx.params, 'payment_behavior', ['allow_incomplete', 'error_if_incomplete', 'default_incomplete', 'pending_if_incomplete'] as const) ?? 'allow_incomplete';
  if (paymentBehavior === 'default_incomplete' || paymentBehavior === 'pending_if_incomplete') {
    throw unsimulated('payment_behavior', `payment_behavior=${paymentBehavior}`);
  }
  if ((optEnum(ctx.params, 'collection_method', ['charge_automatically', 'send_invoice'] as const) ?? 'charge_automatically') !== 'charge_automatically') {
    throw unsimulated('collection_method', 'collection_method=send_invoice');
  }
  // Renewals are charged off session anyway; `off_session` only says so.
  optBool(ctx.params, 'off_session');
  const description = optString(ctx.params, 'description');
  const customerId = reqString(ctx.params, 'customer');
  const customer = ctx.core.store.require('customer', customerId, 'customer');
  assertClockReady(ctx.core, customerId);
  const items = optArray(ctx.params, 'items');
  if (!items || items.length === 0) throw missingParam('items');
  const lines = items.map((raw, i) => {
    if (typeof raw !== 'object' || Array.isArray(raw)) throw invalidRequest('Invalid array', 'items');
    const item = raw as FormObject;
    return { price: priceOf(ctx.core, reqString(item, 'price'), `items[${i}][price]`), quantity: optInt(item, 'quantity') ?? 1 };
  });
  let paymentMethod = optString(ctx.params, 'default_payment_method') ?? null;
  if (paymentMethod !== null) paymentMethod = resolvePaymentMethod(ctx.core, paymentMethod, 'default_payment_method').id;
  paymentMethod ??= ((customer['invoice_settings'] as { default_payment_method?: string | null } | undefined)?.default_payment_method ?? null);
  if (paymentMethod === null) {
    throw invalidRequest('This customer has no attached payment source or default payment method. Please consider adding a default payment method.', undefined, 'resource_missing');
  }
  return createSubscription(ctx.core, ctx.emit, {
    customer: customerId,
    lines,
    metadata: applyMetadata({}, ctx.params),
    paymentMethod,
    paymentBehavior,
    description: description ?? null,
  }).subscription;
}

function retrieve(ctx: RequestContext): StripeObject {
  return ctx.core.store.require(COLLECTION, ctx.pathParams['id']!);
}

function update(ctx: RequestContext): Subscription {
  allowOnly(ctx.params, ['cancel_at_period_end', 'cancel_at', 'cancellation_details', 'default_payment_method', 'description', 'metadata', 'proration_behavior']);
  const current = ctx.core.store.require<Subscription>(COLLECTION, ctx.pathParams['id']!);
  assertClockReady(ctx.core, current.customer);
  const next = structuredClone(current);
  next.metadata = applyMetadata(current.metadata, ctx.params);
  const onlyMetadata = Object.keys(ctx.params).every((k) => k === 'metadata' || k === 'cancellation_details' || k === 'expand');
  if (current.status === 'canceled' && !onlyMetadata) {
    throw stateError('A canceled subscription can only update its cancellation_details and metadata.', 'invalid_canceled_subscription_fields');
  }
  const atPeriodEnd = optBool(ctx.params, 'cancel_at_period_end');
  if (atPeriodEnd !== undefined) {
    next.cancel_at_period_end = atPeriodEnd;
    next.cancel_at = atPeriodEnd ? periodEnd(next) : null;
    next.canceled_at = atPeriodEnd ? ctx.core.clock.nowSeconds() : null;
    next.cancellation_details = { ...next.cancellation_details, reason: atPeriodEnd ? 'cancellation_requested' : null };
  }
  const cancelAt = ctx.params['cancel_at'];
  if (cancelAt !== undefined) {
    next.cancel_at = cancelAt === '' ? null : optInt(ctx.params, 'cancel_at')!;
    next.canceled_at = next.cancel_at === null ? null : ctx.core.clock.nowSeconds();
  }
  const pm = optNullableString(ctx.params, 'default_payment_method');
  if (pm !== undefined) next.default_payment_method = pm === null ? null : resolvePaymentMethod(ctx.core, pm, 'default_payment_method').id;
  const description = optNullableString(ctx.params, 'description');
  if (description !== undefined) next['description'] = description;
  next.cancellation_details = cancellationDetails(ctx.params, next.cancellation_details);
  ctx.core.store.put(COLLECTION, next);
  const prev = previousAttributes(current, next);
  if (Object.keys(prev).length > 0) ctx.emit('customer.subscription.updated', next, prev);
  return next;
}

function cancel(ctx: RequestContext): Subscription {
  // Nothing is metered and nothing prorates, so invoice_now has nothing to bill; a prorated credit is not simulated.
  allowOnly(ctx.params, ['cancellation_details', 'invoice_now', 'prorate']);
  optBool(ctx.params, 'invoice_now');
  if (optBool(ctx.params, 'prorate') === true) throw unsimulated('prorate', 'proration');
  const current = ctx.core.store.require<Subscription>(COLLECTION, ctx.pathParams['id']!);
  if (current.status === 'canceled') throw invalidRequest(`No such subscription: '${current.id}'`, 'id', 'resource_missing');
  const now = ctx.core.clock.nowSeconds();
  const details = cancellationDetails(ctx.params, current.cancellation_details);
  return endSubscription(ctx.core, ctx.emit, { ...current, canceled_at: now, cancellation_details: details }, now, 'cancellation_requested');
}

const FEEDBACK = ['customer_service', 'low_quality', 'missing_features', 'other', 'switched_service', 'too_complex', 'too_expensive', 'unused'] as const;

/** `cancellation_details[comment|feedback]`, as the merchant records why a customer left ('' clears). */
function cancellationDetails(params: FormObject, current: Subscription['cancellation_details']): Subscription['cancellation_details'] {
  allowNested(params, 'cancellation_details', { comment: true, feedback: true });
  const given = optObject(params, 'cancellation_details');
  if (given === undefined) return current;
  const comment = optNullableString(given, 'comment');
  const feedback = optEnum(given, 'feedback', [...FEEDBACK, ''] as const);
  return {
    ...current,
    ...(comment !== undefined ? { comment } : {}),
    ...(feedback !== undefined ? { feedback: feedback === '' ? null : feedback } : {}),
  };
}

function list(ctx: RequestContext): unknown {
  allowOnly(ctx.params, ['collection_method', 'created', 'current_period_end', 'current_period_start', 'customer', 'ending_before', 'limit', 'price', 'starting_after', 'status', 'test_clock']);
  let items = filterCreated(ctx.core.store.all<Subscription>(COLLECTION), ctx.params);
  const status = optString(ctx.params, 'status');
  // Stripe leaves canceled subscriptions out unless asked for them (or for `all`).
  if (status === undefined) items = items.filter((s) => s.status !== 'canceled');
  else if (status === 'ended') items = items.filter((s) => s.status === 'canceled' || s.status === 'incomplete_expired');
  else if (status !== 'all') items = items.filter((s) => s.status === status);
  const customer = optString(ctx.params, 'customer');
  if (customer !== undefined) items = items.filter((s) => s.customer === customer);
  const collection = optString(ctx.params, 'collection_method');
  if (collection !== undefined) items = items.filter((s) => s['collection_method'] === collection);
  // Periods live on the items; the subscription's is its earliest item's.
  for (const [field, of] of [['current_period_end', periodEnd], ['current_period_start', periodStart]] as const) {
    if (ctx.params[field] === undefined) continue;
    const matching = new Set(filterCreated(items.map((s) => ({ id: s.id, object: 'subscription', [field]: of(s) })), ctx.params, field).map((s) => s.id));
    items = items.filter((s) => matching.has(s.id));
  }
  const price = optString(ctx.params, 'price');
  if (price !== undefined) items = items.filter((s) => s.items.data.some((i) => i.price.id === price));
  const testClock = optString(ctx.params, 'test_clock');
  if (testClock !== undefined) items = items.filter((s) => s['test_clock'] === testClock);
  return paginate(items, ctx.params, '/v1/subscriptions');
}

export function registerSubscriptions(core: SimulatorCore): void {
  const r = core.router;
  r.post('/v1/subscriptions', create);
  r.get('/v1/subscriptions', list);
  r.get('/v1/subscriptions/:id', retrieve);
  r.post('/v1/subscriptions/:id', update);
  r.delete('/v1/subscriptions/:id', cancel);
  core.clock.onAdvance((now) => renewDue(core, now));
}
