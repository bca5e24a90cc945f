import * as v from 'valibot';
import { MalformedStripeEventError } from '../../application/webhooks/event-errors';
import type { EventTranslator } from '../../application/ports/event-translator';
import type { IntentSnapshot, RefundRecord } from '../../domain/payment';
import { epochSecondsToIso as iso, type IntentEventKind, type IntentFacts, type StripeChange } from '../../domain/stripe-changes';
import type { SubscriptionSnapshot } from '../../domain/subscription';
import { HANDLED_STRIPE_EVENT_TYPES } from './handled-stripe-event-types';
import { toIntentStatus } from './stripe-payment-intent-gateway';

// Only the fields the worker reads, so a field Stripe adds or drops elsewhere never fails an event.
const id = v.pipe(v.string(), v.minLength(1));
const amount = v.pipe(v.number(), v.integer(), v.minValue(0));
const text = v.nullish(v.string());
const ref = v.nullish(v.union([v.string(), v.object({ id: v.string() })]));
const metadata = v.nullish(v.record(v.string(), v.string()));

const PaymentIntent = v.object({
  id,
  status: v.string(),
  amount,
  amount_capturable: v.nullish(amount),
  amount_received: v.nullish(amount),
  currency: v.string(),
  capture_method: v.nullish(v.string()),
  customer: ref,
  description: text,
  metadata,
  // Required: a checkout's payment id is derived from it, so every event of the intent must carry the same one.
  created: v.pipe(v.number(), v.integer(), v.minValue(0)),
  cancellation_reason: text,
  last_payment_error: v.nullish(v.object({ code: text, decline_code: text, message: text })),
});

const Charge = v.object({
  id,
  amount,
  amount_captured: v.nullish(amount),
  amount_refunded: amount,
  captured: v.nullish(v.boolean()),
  currency: v.string(),
  customer: ref,
  description: text,
  metadata,
  payment_intent: ref,
  refunds: v.nullish(v.object({ data: v.array(v.object({ id, amount, created: v.nullish(v.number()), status: text, reason: text })) })),
});

const Refund = v.object({ id, amount, status: text, reason: text, failure_reason: text, created: v.pipe(v.number(), v.integer(), v.minValue(0)), payment_intent: ref, metadata });

/** What a refund.updated says the refund was before it: its status, when the update changed it. */
const PreviousRefundAttributes = v.object({ status: v.string() });

/** What a charge.refunded event says the charge held before it: amount_refunded before this refund. */
const PreviousChargeAttributes = v.object({ amount_refunded: v.nullish(amount) });

const Dispute = v.object({ id, amount, reason: v.string(), status: v.string(), payment_intent: ref, charge: ref });

const CheckoutSession = v.object({
  id,
  mode: v.picklist(['payment', 'subscription', 'setup']),
  payment_status: v.string(),
  amount_total: v.nullish(amount),
  currency: text,
  payment_intent: ref,
  subscription: ref,
  client_reference_id: text,
  customer: ref,
  metadata,
});

const SubscriptionItem = v.object({ price: v.nullish(v.object({ id: v.string() })), quantity: v.nullish(amount), current_period_end: v.nullish(v.number()) });
const Subscription = v.object({
  id,
  status: v.string(),
  customer: ref,
  items: v.nullish(v.object({ data: v.array(SubscriptionItem) })),
  // Older API versions kept the period on the subscription itself.
  current_period_end: v.nullish(v.number()),
  cancel_at_period_end: v.nullish(v.boolean()),
  canceled_at: v.nullish(v.number()),
  cancellation_details: v.nullish(v.object({ reason: text })),
  metadata,
});

const Invoice = v.object({
  id,
  customer: ref,
  status: text,
  amount_due: amount,
  amount_paid: amount,
  currency: v.string(),
  attempt_count: v.nullish(amount),
  next_payment_attempt: v.nullish(v.number()),
  hosted_invoice_url: text,
  billing_reason: text,
  // Where the subscription is named moved between API versions; both are read.
  subscription: ref,
  parent: v.nullish(v.object({ subscription_details: v.nullish(v.object({ subscription: ref, metadata })) })),
  // The subscription's metadata as the invoice was finalized: names our user also once the customer is deleted.
  subscription_details: v.nullish(v.object({ metadata })),
});

const Customer = v.object({ id, email: text, metadata });

const INTENT_EVENTS: Record<string, IntentEventKind> = {
  'payment_intent.created': 'created',
  'payment_intent.processing': 'processing',
  'payment_intent.succeeded': 'succeeded',
  'payment_intent.payment_failed': 'payment_failed',
  'payment_intent.requires_action': 'requires_action',
  'payment_intent.canceled': 'canceled',
  'payment_intent.amount_capturable_updated': 'amount_capturable_updated',
};

const HANDLED: ReadonlySet<string> = new Set(HANDLED_STRIPE_EVENT_TYPES);

/** Stripe event payloads (validated, only the fields used) into domain changes. Pure: no SDK, no I/O. */
export class StripeEventTranslator implements EventTranslator {
  translate(type: string, payload: unknown): StripeChange | undefined {
    // The list the webhook endpoint is registered for: a type handled below but missing there would never be sent.
    if (!HANDLED.has(type)) return undefined;
    return stripeChangeOf(type, payload);
  }
}

/**
 * What the translator makes of a type, before the registered list gates it: exported so that the
 * list can be checked against what is really handled here.
 */
export function stripeChangeOf(type: string, payload: unknown): StripeChange | undefined {
  const intentEvent = INTENT_EVENTS[type];
  if (intentEvent) {
    const intent = parse(PaymentIntent, payload, type);
    return { kind: 'intent', event: intentEvent, intent: intentFacts(intent), snapshot: intentSnapshot(intent) };
  }
  switch (type) {
    case 'charge.refunded': {
      const charge = parse(Charge, payload, type);
      const paymentIntentId = idOf(charge.payment_intent);
      if (!paymentIntentId) throw new MalformedStripeEventError(`${type}: the charge names no payment intent`);
      const refunded = refundedOf(charge);
      const captured = charge.amount_captured ?? charge.amount;
      // Since API 2022-11-15 a charge lists no refunds unless expanded: this event's own refund is
      // what it added to amount_refunded, which the event's previous_attributes say was less.
      const previous = previousAttributes(PreviousChargeAttributes, payload)?.amount_refunded;
      const latest = [...(charge.refunds?.data ?? [])].sort((a, b) => (b.created ?? 0) - (a.created ?? 0))[0];
      const amount = previous !== undefined && previous !== null ? refunded - refundedOf({ ...charge, amount_refunded: previous }) : latest?.amount;
      return {
        kind: 'refund',
        intent: {
          paymentIntentId,
          stripeCustomerId: idOf(charge.customer),
          currency: charge.currency,
          captureMethod: captured < charge.amount ? 'manual' : 'automatic',
          description: charge.description ?? undefined,
          metadata: { ...(charge.metadata ?? {}) },
          intentCreated: undefined,
        },
        // Only a succeeded intent's charge can be refunded.
        snapshot: { status: 'succeeded', amount: charge.amount, amountCapturable: 0, amountReceived: captured, amountRefunded: refunded, lastError: undefined, cancellationReason: undefined },
        refund: { refundId: latest?.id, amount: amount !== undefined && amount > 0 ? amount : undefined },
        refunds: (charge.refunds?.data ?? []).flatMap((r) => (typeof r.created === 'number' ? [refundRecord({ ...r, created: r.created })] : [])),
      };
    }
    case 'refund.created': {
      const refund = parse(Refund, payload, type);
      const paymentIntentId = idOf(refund.payment_intent);
      if (!paymentIntentId) throw new MalformedStripeEventError(`${type}: the refund names no payment intent`);
      return { kind: 'refund_created', paymentIntentId, metadata: { ...(refund.metadata ?? {}) }, refund: refundRecord(refund) };
    }
    case 'refund.updated':
    case 'refund.failed': {
      const refund = parse(Refund, payload, type);
      const paymentIntentId = idOf(refund.payment_intent);
      if (!paymentIntentId) throw new MalformedStripeEventError(`${type}: the refund names no payment intent`);
      const record = refundRecord(refund);
      return {
        kind: 'refund_updated',
        paymentIntentId,
        metadata: { ...(refund.metadata ?? {}) },
        refund: refund.failure_reason ? { ...record, failureReason: refund.failure_reason } : record,
        // One report per refund that stops counting: a failure by its refund.failed (its
        // refund.updated is the same news); a cancellation by the refund.updated that made it,
        // Stripe sending no refund.failed for it. Decided from the event alone, so every delivery agrees.
        reported:
          (type === 'refund.failed' && record.status === 'failed') ||
          (type === 'refund.updated' && record.status === 'canceled' && isCancellation(previousAttributes(PreviousRefundAttributes, payload)?.status)),
      };
    }
    case 'charge.dispute.created': {
      const dispute = parse(Dispute, payload, type);
      const paymentIntentId = idOf(dispute.payment_intent);
      if (!paymentIntentId) throw new MalformedStripeEventError(`${type}: the dispute names no payment intent`);
      return { kind: 'dispute', paymentIntentId, dispute: { disputeId: dispute.id, amount: dispute.amount, reason: dispute.reason, status: dispute.status } };
    }
    case 'checkout.session.completed':
    case 'checkout.session.expired': {
      const session = parse(CheckoutSession, payload, type);
      return {
        kind: 'checkout',
        event: type === 'checkout.session.completed' ? 'completed' : 'expired',
        checkout: {
          checkoutSessionId: session.id,
          mode: session.mode,
          paymentStatus: session.payment_status,
          amountTotal: session.amount_total ?? undefined,
          currency: session.currency ?? undefined,
          paymentIntentId: idOf(session.payment_intent),
          subscriptionId: idOf(session.subscription),
          clientReferenceId: session.client_reference_id ?? undefined,
          stripeCustomerId: idOf(session.customer),
          metadata: { ...(session.metadata ?? {}) },
        },
      };
    }
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted': {
      const subscription = subscriptionSnapshot(parse(Subscription, payload, type), type);
      const event = type === 'customer.subscription.created' ? 'created' : type === 'customer.subscription.updated' ? 'updated' : 'deleted';
      const before = previousObject(Subscription, payload);
      return { kind: 'subscription', event, subscription, previous: before && subscriptionSnapshot(before, type) };
    }
    case 'customer.updated':
    case 'customer.deleted': {
      const customer = parse(Customer, payload, type);
      const before = type === 'customer.updated' ? previousObject(Customer, payload) : undefined;
      return {
        kind: 'customer',
        event: type === 'customer.updated' ? 'updated' : 'deleted',
        customer: { stripeCustomerId: customer.id, email: customer.email ?? undefined },
        previous: before && { stripeCustomerId: before.id, email: before.email ?? undefined },
        userId: customer.metadata?.userId,
      };
    }
    case 'invoice.paid':
    case 'invoice.payment_failed': {
      const invoice = parse(Invoice, payload, type);
      return {
        kind: 'invoice',
        event: type === 'invoice.paid' ? 'paid' : 'payment_failed',
        invoice: {
          invoiceId: invoice.id,
          stripeCustomerId: idOf(invoice.customer),
          subscriptionId: idOf(invoice.subscription) ?? idOf(invoice.parent?.subscription_details?.subscription),
          status: invoice.status ?? undefined,
          amountDue: invoice.amount_due,
          amountPaid: invoice.amount_paid,
          currency: invoice.currency,
          attemptCount: invoice.attempt_count ?? 0,
          nextPaymentAttempt: invoice.next_payment_attempt ?? undefined,
          hostedInvoiceUrl: invoice.hosted_invoice_url ?? undefined,
          billingReason: invoice.billing_reason ?? undefined,
        },
        userId: (invoice.parent?.subscription_details?.metadata ?? invoice.subscription_details?.metadata)?.userId,
      };
    }
    default:
      return undefined;
  }
}

function parse<S extends v.GenericSchema>(schema: S, payload: unknown, type: string): v.InferOutput<S> {
  // The message carries the whole event; its object is what each type describes.
  const object = (payload as { data?: { object?: unknown } } | null)?.data?.object;
  const result = v.safeParse(schema, object);
  if (result.success) return result.output;
  const issue = result.issues[0];
  throw new MalformedStripeEventError(`${type}: ${v.getDotPath(issue) ?? 'data.object'}: ${issue.message}`);
}

/** The event's previous_attributes, when it has them and they read as expected; else undefined (they are advisory). */
function previousAttributes<S extends v.GenericSchema>(schema: S, payload: unknown): v.InferOutput<S> | undefined {
  const previous = (payload as { data?: { previous_attributes?: unknown } } | null)?.data?.previous_attributes;
  const result = v.safeParse(schema, previous);
  return result.success ? result.output : undefined;
}

/**
 * The event's object as it was before the event: previous_attributes (the changed fields' old
 * values; nested objects only in the keys that changed, arrays whole) laid over the object.
 * Undefined when the event has none or the result does not read as the schema (they are advisory).
 */
function previousObject<S extends v.GenericSchema>(schema: S, payload: unknown): v.InferOutput<S> | undefined {
  const data = (payload as { data?: { object?: unknown; previous_attributes?: unknown } } | null)?.data;
  if (!isPlainObject(data?.previous_attributes) || !isPlainObject(data?.object)) return undefined;
  const before = overlay(data.object, data.previous_attributes);
  // A metadata key the event added is listed with a null old value: it was not there.
  if (isPlainObject(before['metadata'])) before['metadata'] = Object.fromEntries(Object.entries(before['metadata']).filter(([, value]) => value !== null));
  const result = v.safeParse(schema, before);
  return result.success ? result.output : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function overlay(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const under = base[key];
    out[key] = isPlainObject(value) && isPlainObject(under) ? overlay(under, value) : value;
  }
  return out;
}

function idOf(value: string | { id: string } | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  return typeof value === 'string' ? value : value.id;
}

function intentFacts(intent: v.InferOutput<typeof PaymentIntent>): IntentFacts {
  return {
    paymentIntentId: intent.id,
    stripeCustomerId: idOf(intent.customer),
    currency: intent.currency,
    captureMethod: intent.capture_method === 'manual' ? 'manual' : 'automatic',
    description: intent.description ?? undefined,
    metadata: { ...(intent.metadata ?? {}) },
    intentCreated: intent.created,
  };
}

function intentSnapshot(intent: v.InferOutput<typeof PaymentIntent>): IntentSnapshot {
  const error = intent.last_payment_error;
  let status;
  try {
    status = toIntentStatus(intent.status, Boolean(error));
  } catch {
    throw new MalformedStripeEventError(`unknown payment intent status ${intent.status.slice(0, 40)}`);
  }
  return {
    status,
    amount: intent.amount,
    amountCapturable: intent.amount_capturable ?? 0,
    amountReceived: intent.amount_received ?? 0,
    // An event's intent does not expand its charge; refunds come from charge.refunded.
    amountRefunded: 0,
    lastError: error ? { code: error.code ?? undefined, declineCode: error.decline_code ?? undefined, message: error.message ?? undefined } : undefined,
    cancellationReason: intent.cancellation_reason ?? undefined,
  };
}

function refundRecord(refund: { id: string; amount: number; status?: string | null; reason?: string | null; created: number }): RefundRecord {
  return {
    id: refund.id,
    amount: refund.amount,
    // A listed refund without its status is one the charge counts in amount_refunded.
    status: refund.status ?? 'succeeded',
    reason: refund.reason ?? undefined,
    createdAt: iso(refund.created),
  };
}

function isCancellation(previousStatus: string | undefined): boolean {
  return previousStatus !== undefined && previousStatus !== 'canceled';
}

/** As the payments gateway counts it: the released remainder of a partial capture is no refund. */
function refundedOf(charge: Pick<v.InferOutput<typeof Charge>, 'amount' | 'amount_captured' | 'amount_refunded' | 'captured'>): number {
  const captured = charge.amount_captured ?? charge.amount;
  const released = charge.captured === false ? 0 : Math.max(0, charge.amount - captured);
  return Math.max(0, charge.amount_refunded - released);
}

function subscriptionSnapshot(subscription: v.InferOutput<typeof Subscription>, type: string): SubscriptionSnapshot {
  const stripeCustomerId = idOf(subscription.customer);
  if (!stripeCustomerId) throw new MalformedStripeEventError(`${type}: the subscription names no customer`);
  const items = subscription.items?.data ?? [];
  const first = items[0];
  const periodEnds = items.map((i) => i.current_period_end).filter((n): n is number => typeof n === 'number');
  const periodEnd = periodEnds.length > 0 ? Math.min(...periodEnds) : (subscription.current_period_end ?? undefined);
  const meta = { ...(subscription.metadata ?? {}) };
  return {
    subscriptionId: subscription.id,
    stripeCustomerId,
    status: subscription.status,
    stripePriceId: first?.price?.id ?? undefined,
    priceId: meta.localPriceId,
    quantity: items.reduce((sum, i) => sum + (i.quantity ?? 1), 0),
    currentPeriodEnd: periodEnd === undefined ? undefined : iso(periodEnd),
    cancelAtPeriodEnd: subscription.cancel_at_period_end ?? false,
    canceledAt: subscription.canceled_at ? iso(subscription.canceled_at) : undefined,
    endReason: type === 'customer.subscription.deleted' ? (subscription.cancellation_details?.reason ?? undefined) : undefined,
    metadata: meta,
  };
}
