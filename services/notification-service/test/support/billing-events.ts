// Billing events as the events worker publishes them, checked against the shared contract so a
// sample can never drift from what the producer is held to.
import { randomUUID } from 'node:crypto';
import { parseBillingEvent, type BillingEvent, type InvoiceBillingEvent, type PaymentBillingEvent, type SubscriptionBillingEvent } from '@shared/events/billing-event';

type PaymentData = PaymentBillingEvent['data'];

function envelope(userId: string) {
  const stripeEventId = `evt_${randomUUID().replace(/-/g, '')}`;
  return {
    id: `bevt_${stripeEventId}`,
    version: 1 as const,
    occurredAt: '2026-12-02T10:00:00.000Z',
    userId,
    stripeCustomerId: 'cus_test',
    livemode: false,
    source: { stripeEventId, stripeEventType: 'payment_intent.succeeded' },
  };
}

function valid<E extends BillingEvent>(event: E): E {
  const parsed = parseBillingEvent(JSON.stringify(event));
  if (!parsed.ok) throw new Error(`sample billing event breaks the contract: ${parsed.reason}`);
  return event;
}

const payment = (overrides: Partial<PaymentData> = {}): PaymentData => ({
  paymentId: 'pay_01TEST',
  paymentIntentId: 'pi_test',
  status: 'succeeded',
  amount: 2000,
  currency: 'usd',
  amountCapturable: 0,
  amountReceived: 2000,
  amountRefunded: 0,
  captureMethod: 'automatic',
  description: null,
  failure: null,
  refund: null,
  dispute: null,
  cancellationReason: null,
  metadata: {},
  ...overrides,
});

export function paymentEvent(type: PaymentBillingEvent['type'], userId = 'user-1', data: Partial<PaymentData> = {}): PaymentBillingEvent {
  return valid({ ...envelope(userId), type, data: payment(data) });
}

export const receiptEvent = (userId = 'user-1', data: Partial<PaymentData> = {}) => paymentEvent('payment.successful', userId, data);

export const failureEvent = (userId = 'user-1', data: Partial<PaymentData> = {}) =>
  paymentEvent('payment.failed', userId, {
    status: 'failed',
    amountReceived: 0,
    failure: { code: 'card_declined', declineCode: 'insufficient_funds', message: 'Your card has insufficient funds.' },
    ...data,
  });

export const refundEvent = (userId = 'user-1', data: Partial<PaymentData> = {}) =>
  paymentEvent('payment.refunded', userId, { status: 'partially_refunded', amountRefunded: 500, refund: { refundId: 're_test', amount: 500 }, ...data });

export const refundFailedEvent = (userId = 'user-1', data: Partial<PaymentData> = {}) =>
  paymentEvent('payment.refund_failed', userId, { status: 'succeeded', amountRefunded: 0, refund: { refundId: 're_test', amount: 500, failureReason: 'expired_or_canceled_card' }, ...data });

export function invoiceEvent(type: InvoiceBillingEvent['type'], userId = 'user-1', data: Partial<InvoiceBillingEvent['data']> = {}): InvoiceBillingEvent {
  return valid({
    ...envelope(userId),
    type,
    data: {
      invoiceId: 'in_test',
      subscriptionId: 'sub_test',
      status: type === 'invoice.paid' ? 'paid' : 'open',
      amountDue: 1500,
      amountPaid: type === 'invoice.paid' ? 1500 : 0,
      currency: 'eur',
      attemptCount: 1,
      nextPaymentAttempt: type === 'invoice.paid' ? null : '2026-12-05T10:00:00.000Z',
      hostedInvoiceUrl: 'https://invoice.stripe.com/i/test',
      failure: type === 'invoice.paid' ? null : { code: 'card_declined', declineCode: 'expired_card', message: null },
      billingReason: 'subscription_cycle',
      ...data,
    },
  });
}

export function subscriptionEvent(type: SubscriptionBillingEvent['type'], userId = 'user-1', data: Partial<SubscriptionBillingEvent['data']> = {}): SubscriptionBillingEvent {
  return valid({
    ...envelope(userId),
    type,
    data: {
      subscriptionId: 'sub_test',
      status: 'canceled',
      stripePriceId: 'price_test',
      priceId: null,
      productId: null,
      quantity: 1,
      currentPeriodEnd: '2027-01-02T10:00:00.000Z',
      cancelAtPeriodEnd: false,
      canceledAt: '2026-12-02T10:00:00.000Z',
      endReason: type === 'subscription.canceled' ? 'cancellation_requested' : 'payment_failed',
      ...data,
    },
  });
}
