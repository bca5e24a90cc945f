import type { BillingEvent, InvoiceBillingEvent, PaymentBillingEvent, SubscriptionBillingEvent } from '@shared/events/billing-event';
import { formatLongDate } from './date-format';
import { failureReason } from './decline-reasons';
import { formatMoney } from './money-format';
import type { TemplateValues } from './template';

/** The messages a customer can receive, one per billing event at most. */
export type NotificationKind = 'receipt' | 'payment_failed' | 'refund' | 'refund_failed' | 'invoice_payment_failed' | 'subscription_renewed' | 'subscription_ended';

/** The billing event types that may email; the notifications queue's subscription filters on exactly these. */
export const NOTIFYING_EVENT_TYPES = [
  'payment.successful',
  'payment.failed',
  'payment.refunded',
  'payment.refund_failed',
  'invoice.payment_failed',
  'invoice.paid',
  'subscription.canceled',
  'subscription.expired',
] as const satisfies readonly BillingEvent['type'][];

export type NotificationPlan = { send: true; kind: NotificationKind; values: TemplateValues } | { send: false; reason: string };

function day(iso: string | null): string | undefined {
  return iso === null ? undefined : formatLongDate(new Date(iso));
}

/**
 * What, if anything, to tell the customer about a billing event. Pure: the same event always plans
 * the same message, so a redelivery renders what the first delivery rendered.
 */
export function planNotification(event: BillingEvent): NotificationPlan {
  switch (event.type) {
    case 'payment.successful':
    case 'payment.failed':
    case 'payment.refunded':
    case 'payment.refund_failed':
      return planPayment(event);
    case 'invoice.paid':
    case 'invoice.payment_failed':
      return planInvoice(event);
    case 'subscription.canceled':
    case 'subscription.expired':
      return planSubscriptionEnd(event);
    default:
      return { send: false, reason: `${event.type} does not notify` };
  }
}

const PAID = new Set<PaymentBillingEvent['data']['status']>(['succeeded', 'partially_refunded', 'refunded']);

function planPayment(event: PaymentBillingEvent): NotificationPlan {
  const { data } = event;
  const money = (amount: number) => formatMoney(amount, data.currency);
  const reference = data.paymentId ?? data.paymentIntentId;
  if (event.type === 'payment.successful') {
    const paid = data.amountReceived > 0 ? data.amountReceived : data.amount;
    return {
      send: true,
      kind: 'receipt',
      values: { amount: money(paid), description: data.description ?? undefined, date: day(event.occurredAt), reference },
    };
  }
  if (event.type === 'payment.failed') {
    // A failed attempt reported after the payment went through (Stripe's events come in any order)
    // asks nothing of the customer any more.
    if (PAID.has(data.status)) return { send: false, reason: `payment.failed for a payment that is ${data.status} now` };
    return { send: true, kind: 'payment_failed', values: { amount: money(data.amount), reason: failureReason(data.failure), reference } };
  }
  if (event.type === 'payment.refund_failed') {
    // Only the failed refund's own amount: the total would name money this refund never was.
    const amount = data.refund?.amount ?? 0;
    if (amount <= 0) return { send: false, reason: 'the failed refund has no amount' };
    // The merchant canceled it while it awaited the customer: no bank refused anything, and the
    // merchant, who decided it, is the one to tell the customer why.
    if (data.refund?.failureReason === 'canceled') return { send: false, reason: 'the refund was canceled by the merchant' };
    return {
      send: true,
      kind: 'refund_failed',
      values: { amount: money(amount), paid: money(data.amountReceived), reason: refundFailureReason(data.refund?.failureReason ?? null), reference },
    };
  }
  // payment.refunded: the event's own refund when the producer names it, otherwise all refunded so far.
  const refunded = data.refund?.amount ?? data.amountRefunded;
  if (refunded <= 0) return { send: false, reason: 'the refund has no amount' };
  const captured = data.amountReceived;
  const remaining = Math.max(0, captured - data.amountRefunded);
  return {
    send: true,
    kind: 'refund',
    values: {
      refunded: money(refunded),
      paid: money(captured),
      totalRefunded: money(data.amountRefunded),
      remaining: remaining > 0 ? money(remaining) : undefined,
      reference,
    },
  };
}

/**
 * Stripe's refund failure_reason in plain words. Whether a card was reported lost or stolen is the
 * bank's to tell, so that reads like any other refusal.
 */
const REFUND_FAILURES: Record<string, string> = {
  expired_or_canceled_card: 'The card the payment was made with has expired or been canceled.',
  insufficient_funds: 'The account the payment was made from could not receive it.',
};

function refundFailureReason(code: string | null): string {
  return (code === null ? undefined : REFUND_FAILURES[code]) ?? 'The bank declined the refund.';
}

function planInvoice(event: InvoiceBillingEvent): NotificationPlan {
  const { data } = event;
  const money = (amount: number) => formatMoney(amount, data.currency);
  if (event.type === 'invoice.payment_failed') {
    return {
      send: true,
      kind: 'invoice_payment_failed',
      values: {
        amount: money(data.amountDue),
        reason: failureReason(data.failure),
        nextAttempt: day(data.nextPaymentAttempt),
        invoiceUrl: data.hostedInvoiceUrl ?? undefined,
      },
    };
  }
  // Only a renewal: the first invoice of a subscription is the checkout the customer just made, and
  // an invoice whose reason is unknown is not announced as a renewal it may not be.
  if (data.billingReason !== 'subscription_cycle') return { send: false, reason: `invoice.paid (${data.billingReason ?? 'no billing reason'}) is not a renewal` };
  if (data.amountPaid <= 0) return { send: false, reason: 'the renewal charged nothing' };
  return {
    send: true,
    kind: 'subscription_renewed',
    values: { amount: money(data.amountPaid), date: day(event.occurredAt), reference: data.invoiceId, invoiceUrl: data.hostedInvoiceUrl ?? undefined },
  };
}

const END_REASONS: Record<string, string> = {
  cancellation_requested: 'It was canceled as requested.',
  payment_failed: 'It ended because its payments could not be collected.',
  payment_disputed: 'It ended because a payment was disputed.',
};

function planSubscriptionEnd(event: SubscriptionBillingEvent): NotificationPlan {
  const { data } = event;
  const fallback = event.type === 'subscription.canceled' ? END_REASONS.cancellation_requested : 'It has come to an end.';
  return {
    send: true,
    kind: 'subscription_ended',
    values: {
      endedOn: day(data.canceledAt ?? event.occurredAt),
      reason: (data.endReason ? END_REASONS[data.endReason] : undefined) ?? fallback,
      reference: data.subscriptionId,
    },
  };
}
