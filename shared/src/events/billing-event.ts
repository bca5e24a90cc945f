/**
 * The billing events this system publishes on SNS for downstream services (entitlements,
 * notifications): the one contract between the events worker, which produces them, and every
 * consumer. Version 1; a field is only ever added, never renamed or repurposed, within a version.
 * Amounts are integer minor units of `currency` (ISO 4217, lower case).
 */
import * as v from 'valibot';

export const BILLING_EVENT_TYPES = [
  'payment.successful',
  'payment.failed',
  'payment.action_required',
  'payment.canceled',
  'payment.authorized',
  'payment.refunded',
  'payment.refund_failed',
  'payment.disputed',
  'checkout.completed',
  'checkout.expired',
  'subscription.created',
  'subscription.updated',
  'subscription.canceled',
  'subscription.expired',
  'invoice.paid',
  'invoice.payment_failed',
] as const;

export type BillingEventType = (typeof BILLING_EVENT_TYPES)[number];

const nullableString = v.nullable(v.string());
const minorUnits = v.pipe(v.number(), v.integer(), v.minValue(0));
const currency = v.pipe(v.string(), v.regex(/^[a-z]{3}$/));
const epochIso = v.pipe(v.string(), v.isoTimestamp());

/** A one-off payment (a payment intent), as it stands after the Stripe event. */
export const PaymentData = v.object({
  /** Ours (`pay_…`): the payment's record, made by the API or, for an intent a checkout of this API created, by the events worker. Null only where no record exists. */
  paymentId: nullableString,
  paymentIntentId: v.string(),
  status: v.picklist(['pending', 'requires_action', 'processing', 'authorized', 'succeeded', 'failed', 'canceled', 'partially_refunded', 'refunded']),
  amount: minorUnits,
  currency,
  amountCapturable: minorUnits,
  amountReceived: minorUnits,
  amountRefunded: minorUnits,
  captureMethod: v.picklist(['automatic', 'manual']),
  description: nullableString,
  /** The card's failure, in plain words, for payment.failed. */
  failure: v.nullable(v.object({ code: nullableString, declineCode: nullableString, message: nullableString })),
  /**
   * For payment.refunded: the one refund this event reports, `amount` being that refund alone (the
   * running total is `amountRefunded`); `refundId` null when Stripe's event did not list it. Null
   * when the event did not say what this refund was. For payment.refund_failed: the refund that
   * failed or was canceled, with its `failureReason`; `amountRefunded` no longer counts it.
   */
  refund: v.nullable(
    v.object({
      refundId: nullableString,
      amount: minorUnits,
      /** For payment.refund_failed: Stripe's failure_reason (lost_or_stolen_card, expired_or_canceled_card, declined, unknown, …), or `canceled` for a refund canceled before the customer acted on it. Optional so that events published before it stay valid. */
      failureReason: v.optional(nullableString),
    }),
  ),
  /** The dispute, for payment.disputed. */
  dispute: v.nullable(v.object({ disputeId: v.string(), amount: minorUnits, reason: v.string(), status: v.string() })),
  cancellationReason: nullableString,
  metadata: v.record(v.string(), v.string()),
});

export const CheckoutData = v.object({
  checkoutSessionId: v.string(),
  mode: v.picklist(['payment', 'subscription', 'setup']),
  /** Stripe's payment_status: paid, unpaid (asynchronous methods still settling), no_payment_required. */
  paymentStatus: v.string(),
  amountTotal: v.nullable(minorUnits),
  currency: v.nullable(currency),
  paymentIntentId: nullableString,
  subscriptionId: nullableString,
  /** Our price and product ids when the session was opened through this API for a synced price. */
  priceId: nullableString,
  productId: nullableString,
  clientReferenceId: nullableString,
});

export const SubscriptionData = v.object({
  subscriptionId: v.string(),
  /** Stripe's status: active, trialing, past_due, canceled, incomplete, incomplete_expired, unpaid, paused. */
  status: v.string(),
  stripePriceId: nullableString,
  priceId: nullableString,
  productId: nullableString,
  quantity: v.pipe(v.number(), v.integer(), v.minValue(0)),
  currentPeriodEnd: v.nullable(epochIso),
  cancelAtPeriodEnd: v.boolean(),
  canceledAt: v.nullable(epochIso),
  /** Why Stripe ended it, for subscription.canceled/expired (cancellation_details.reason). */
  endReason: nullableString,
});

export const InvoiceData = v.object({
  invoiceId: v.string(),
  subscriptionId: nullableString,
  status: nullableString,
  amountDue: minorUnits,
  amountPaid: minorUnits,
  currency,
  attemptCount: v.pipe(v.number(), v.integer(), v.minValue(0)),
  /** Epoch of Stripe's next automatic attempt, for invoice.payment_failed. */
  nextPaymentAttempt: v.nullable(epochIso),
  hostedInvoiceUrl: nullableString,
  /** For invoice.payment_failed: null, Stripe's invoice events carrying no payment error (see docs/events.md). */
  failure: v.nullable(v.object({ code: nullableString, declineCode: nullableString, message: nullableString })),
  /**
   * Stripe's billing_reason (subscription_create, subscription_cycle, subscription_update, manual, …):
   * tells a renewal from the first invoice. Optional so that events published before it stay valid.
   */
  billingReason: v.optional(nullableString),
});

const envelope = {
  /** Stable per Stripe event and type (`bevt_` + the Stripe event id, or with a suffix when one Stripe event yields several): dedupe on it. */
  id: v.pipe(v.string(), v.minLength(1)),
  version: v.literal(1),
  /** When Stripe says it happened (the Stripe event's `created`), not when we published. */
  occurredAt: epochIso,
  userId: v.pipe(v.string(), v.minLength(1)),
  stripeCustomerId: nullableString,
  livemode: v.boolean(),
  source: v.object({ stripeEventId: v.string(), stripeEventType: v.string() }),
};

const paymentTypes = ['payment.successful', 'payment.failed', 'payment.action_required', 'payment.canceled', 'payment.authorized', 'payment.refunded', 'payment.refund_failed', 'payment.disputed'] as const;
const checkoutTypes = ['checkout.completed', 'checkout.expired'] as const;
const subscriptionTypes = ['subscription.created', 'subscription.updated', 'subscription.canceled', 'subscription.expired'] as const;
const invoiceTypes = ['invoice.paid', 'invoice.payment_failed'] as const;

export const BillingEventSchema = v.variant('type', [
  v.object({ ...envelope, type: v.picklist(paymentTypes), data: PaymentData }),
  v.object({ ...envelope, type: v.picklist(checkoutTypes), data: CheckoutData }),
  v.object({ ...envelope, type: v.picklist(subscriptionTypes), data: SubscriptionData }),
  v.object({ ...envelope, type: v.picklist(invoiceTypes), data: InvoiceData }),
]);

export type BillingEvent = v.InferOutput<typeof BillingEventSchema>;

const DATA_BY_TYPE = {
  ...Object.fromEntries(paymentTypes.map((t) => [t, PaymentData])),
  ...Object.fromEntries(checkoutTypes.map((t) => [t, CheckoutData])),
  ...Object.fromEntries(subscriptionTypes.map((t) => [t, SubscriptionData])),
  ...Object.fromEntries(invoiceTypes.map((t) => [t, InvoiceData])),
} as Record<BillingEventType, typeof PaymentData | typeof CheckoutData | typeof SubscriptionData | typeof InvoiceData>;

/** The schema of one type's events (the envelope with that `type` and its family's data), e.g. to generate its JSON Schema. */
export function billingEventSchemaOf(type: BillingEventType) {
  return v.object({ ...envelope, type: v.literal(type), data: DATA_BY_TYPE[type] });
}
export type PaymentBillingEvent = Extract<BillingEvent, { type: (typeof paymentTypes)[number] }>;
export type CheckoutBillingEvent = Extract<BillingEvent, { type: (typeof checkoutTypes)[number] }>;
export type SubscriptionBillingEvent = Extract<BillingEvent, { type: (typeof subscriptionTypes)[number] }>;
export type InvoiceBillingEvent = Extract<BillingEvent, { type: (typeof invoiceTypes)[number] }>;

/** The SNS message attributes set on every billing event, for subscription filter policies. */
export const BILLING_EVENT_ATTRIBUTES = ['type', 'userId'] as const;

/** Parses a billing event from a message body (raw delivery) or says why it is not one. */
export function parseBillingEvent(body: string): { ok: true; event: BillingEvent } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'the body is not JSON' };
  }
  const result = v.safeParse(BillingEventSchema, json);
  if (result.success) return { ok: true, event: result.output };
  const issue = result.issues[0];
  const path = issue.path?.map((item) => String(item.key)).join('.') ?? '';
  return { ok: false, reason: `${path ? `${path}: ` : ''}${issue.message}` };
}
