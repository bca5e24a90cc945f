// Stripe events as the webhook ingress enqueues them: `{eventId, type, created, livemode, payload}`
// with the payload the whole event and `data.object` shaped as Stripe sends it (API 2026-10-28).
import type { StripeEventMessage } from '../../src/application/ports/stripe-event-queue';

let counter = 0;
export const nextEventId = () => `evt_test${String((counter += 1)).padStart(6, '0')}${Math.random().toString(36).slice(2, 8)}`;

export function stripeEvent(
  type: string,
  object: Record<string, unknown>,
  options: { id?: string; created?: number; livemode?: boolean; previousAttributes?: Record<string, unknown> } = {},
): StripeEventMessage {
  const eventId = options.id ?? nextEventId();
  const created = options.created ?? 1_767_225_700;
  const data = { object, ...(options.previousAttributes ? { previous_attributes: options.previousAttributes } : {}) };
  return {
    eventId,
    type,
    created,
    livemode: options.livemode ?? false,
    payload: { id: eventId, object: 'event', type, created, livemode: options.livemode ?? false, api_version: '2026-10-28.endive', data },
  };
}

export interface IntentShape {
  id: string;
  status: string;
  amount?: number;
  amountCapturable?: number;
  amountReceived?: number;
  customer?: string | null;
  metadata?: Record<string, string>;
  captureMethod?: 'automatic' | 'manual' | 'automatic_async';
  created?: number;
  lastPaymentError?: { code: string; decline_code?: string; message: string } | null;
  cancellationReason?: string | null;
}

export function intentObject(shape: IntentShape): Record<string, unknown> {
  const amount = shape.amount ?? 2000;
  return {
    id: shape.id,
    object: 'payment_intent',
    status: shape.status,
    amount,
    amount_capturable: shape.amountCapturable ?? 0,
    amount_received: shape.amountReceived ?? (shape.status === 'succeeded' ? amount : 0),
    currency: 'usd',
    capture_method: shape.captureMethod ?? 'automatic_async',
    customer: shape.customer === undefined ? 'cus_test' : shape.customer,
    description: 'Order 1',
    metadata: shape.metadata ?? {},
    created: shape.created ?? 1_767_225_600,
    cancellation_reason: shape.cancellationReason ?? null,
    last_payment_error: shape.lastPaymentError ?? null,
    latest_charge: shape.status === 'succeeded' ? `ch_${shape.id.slice(3)}` : null,
    livemode: false,
  };
}

/**
 * A charge as Stripe sends it since API 2022-11-15: `amount_refunded` is the running total and
 * there is no `refunds` list unless the endpoint expands it (`refunds` here stands for that).
 */
export function chargeObject(shape: {
  intentId: string;
  amount?: number;
  refunded: number;
  refunds?: { id: string; amount: number; created: number }[];
  customer?: string;
  metadata?: Record<string, string>;
}): Record<string, unknown> {
  const amount = shape.amount ?? 2000;
  return {
    id: `ch_${shape.intentId.slice(3)}`,
    object: 'charge',
    amount,
    amount_captured: amount,
    amount_refunded: shape.refunded,
    captured: true,
    refunded: shape.refunded >= amount,
    currency: 'usd',
    customer: shape.customer ?? 'cus_test',
    description: 'Order 1',
    metadata: shape.metadata ?? {},
    payment_intent: shape.intentId,
    ...(shape.refunds ? { refunds: { object: 'list', data: shape.refunds } } : {}),
  };
}

/** charge.refunded for one refund: the charge's new total, and in previous_attributes the total before it, as Stripe sends them. */
export function chargeRefundedEvent(
  shape: { intentId: string; refunded: number; before: number; amount?: number; customer?: string },
  options: { id?: string; created?: number } = {},
): StripeEventMessage {
  return stripeEvent('charge.refunded', chargeObject(shape), { ...options, previousAttributes: { amount_refunded: shape.before, refunded: false } });
}

/** A refund as refund.created carries it: the one payload that names a refund since charges stopped listing theirs. */
export function refundObject(shape: {
  id: string;
  intentId: string;
  amount: number;
  created?: number;
  status?: string;
  reason?: string | null;
  failureReason?: string;
  metadata?: Record<string, string>;
}): Record<string, unknown> {
  return {
    id: shape.id,
    object: 'refund',
    amount: shape.amount,
    charge: `ch_${shape.intentId.slice(3)}`,
    created: shape.created ?? 1_767_225_700,
    currency: 'usd',
    metadata: shape.metadata ?? {},
    payment_intent: shape.intentId,
    reason: shape.reason ?? null,
    status: shape.status ?? 'succeeded',
    // As Stripe sends a refund that failed after it was accepted (refund.updated, refund.failed).
    ...(shape.failureReason !== undefined ? { failure_reason: shape.failureReason, failure_balance_transaction: `txn_${shape.id.slice(3)}f` } : {}),
  };
}

export function subscriptionObject(shape: {
  id: string;
  status: string;
  customer?: string;
  priceId?: string;
  quantity?: number;
  periodEnd?: number;
  cancelAtPeriodEnd?: boolean;
  canceledAt?: number | null;
  reason?: string | null;
  metadata?: Record<string, string>;
}): Record<string, unknown> {
  return {
    id: shape.id,
    object: 'subscription',
    status: shape.status,
    customer: shape.customer ?? 'cus_test',
    cancel_at_period_end: shape.cancelAtPeriodEnd ?? false,
    canceled_at: shape.canceledAt ?? null,
    cancellation_details: { comment: null, feedback: null, reason: shape.reason ?? null },
    metadata: shape.metadata ?? {},
    items: {
      object: 'list',
      data: [{ id: 'si_1', price: { id: shape.priceId ?? 'price_basic' }, quantity: shape.quantity ?? 1, current_period_end: shape.periodEnd ?? 1_769_904_000 }],
    },
  };
}

export function invoiceObject(shape: { id: string; customer?: string; subscription?: string; subscriptionMetadata?: Record<string, string>; paid: boolean; attemptCount?: number; nextAttempt?: number | null; billingReason?: string }): Record<string, unknown> {
  return {
    id: shape.id,
    object: 'invoice',
    customer: shape.customer ?? 'cus_test',
    status: shape.paid ? 'paid' : 'open',
    amount_due: 1500,
    amount_paid: shape.paid ? 1500 : 0,
    currency: 'usd',
    attempt_count: shape.attemptCount ?? 1,
    next_payment_attempt: shape.nextAttempt ?? null,
    hosted_invoice_url: `https://invoice.example/${shape.id}`,
    billing_reason: shape.billingReason ?? (shape.subscription ? 'subscription_cycle' : 'manual'),
    parent: shape.subscription ? { type: 'subscription_details', subscription_details: { subscription: shape.subscription, metadata: shape.subscriptionMetadata ?? {} } } : null,
  };
}

export function checkoutObject(shape: { id: string; customer?: string; mode?: 'payment' | 'subscription'; paid?: boolean; intentId?: string | null; subscriptionId?: string | null; metadata?: Record<string, string> }): Record<string, unknown> {
  return {
    id: shape.id,
    object: 'checkout.session',
    mode: shape.mode ?? 'payment',
    payment_status: shape.paid === false ? 'unpaid' : 'paid',
    status: 'complete',
    amount_total: 2000,
    currency: 'usd',
    customer: shape.customer ?? 'cus_test',
    payment_intent: shape.intentId ?? null,
    subscription: shape.subscriptionId ?? null,
    client_reference_id: null,
    metadata: shape.metadata ?? {},
  };
}
