// The notification worker planned on the billing events the events worker really publishes (its
// use case on its fakes, fed Stripe events shaped as Stripe sends them), not on samples built to
// suit the consumer: a field the producer never fills cannot go unnoticed here.
import type { BillingEvent } from '@shared/events/billing-event';
import { planNotification } from '../../src/domain/notification';
import { eventsWorkerHarness } from '../../../stripe-service/test/support/events-worker-harness';
import { samplePayment } from '../../../stripe-service/test/support/sample-payment';
import { chargeRefundedEvent, intentObject, invoiceObject, refundObject, stripeEvent } from '../../../stripe-service/test/support/stripe-event-payloads';

const T = 1_767_225_700;

function planned(events: BillingEvent[]) {
  return events.map((event) => {
    const plan = planNotification(event);
    return plan.send ? { kind: plan.kind, values: plan.values } : { skipped: plan.reason };
  });
}

/** A payment of 2000 paid at T and refunded `amount` at T + 10, through the events worker. */
async function paidThenRefunded(amount: number) {
  const h = await eventsWorkerHarness();
  const payment = samplePayment(h.userId, { stripeCustomerId: h.stripeCustomerId, amount: 2000, stripeUpdatedAt: T - 100 });
  await h.payments.create(payment);
  const metadata = { userId: h.userId, paymentId: payment.paymentId };
  await h.useCase.execute(stripeEvent('payment_intent.succeeded', intentObject({ id: payment.stripePaymentIntentId, status: 'succeeded', metadata }), { created: T }));
  await h.useCase.execute(chargeRefundedEvent({ intentId: payment.stripePaymentIntentId, refunded: amount, before: 0 }, { created: T + 10 }));
  return { h, payment, metadata };
}

describe('notifications planned on the events worker\'s own billing events', () => {
  it('a second partial refund tells the customer that refund, the total refunded and what remains', async () => {
    const h = await eventsWorkerHarness();
    const payment = samplePayment(h.userId, { stripeCustomerId: h.stripeCustomerId, amount: 2000, stripeUpdatedAt: T - 100 });
    await h.payments.create(payment);
    const metadata = { userId: h.userId, paymentId: payment.paymentId };
    await h.useCase.execute(stripeEvent('payment_intent.succeeded', intentObject({ id: payment.stripePaymentIntentId, status: 'succeeded', metadata }), { created: T }));
    await h.useCase.execute(chargeRefundedEvent({ intentId: payment.stripePaymentIntentId, refunded: 300, before: 0 }, { created: T + 10 }));
    await h.useCase.execute(chargeRefundedEvent({ intentId: payment.stripePaymentIntentId, refunded: 800, before: 300 }, { created: T + 20 }));
    const [, first, second] = planned(h.publisher.events());
    expect(first).toMatchObject({ kind: 'refund', values: { refunded: '$3.00', totalRefunded: '$3.00', remaining: '$17.00' } });
    expect(second).toMatchObject({ kind: 'refund', values: { refunded: '$5.00', totalRefunded: '$8.00', remaining: '$12.00' } });
  });

  it('a refund that failed later tells the customer that refund did not arrive, once: refund.updated sends nothing', async () => {
    const { h, payment, metadata } = await paidThenRefunded(700);
    const failed = refundObject({ id: 're_1', intentId: payment.stripePaymentIntentId, amount: 700, created: T + 10, status: 'failed', failureReason: 'expired_or_canceled_card', metadata });
    await h.useCase.execute(stripeEvent('refund.updated', failed, { created: T + 3600, previousAttributes: { status: 'succeeded' } }));
    await h.useCase.execute(stripeEvent('refund.failed', failed, { created: T + 3600 }));
    const [, refunded, refundFailed, ...rest] = planned(h.publisher.events());
    expect(refunded).toMatchObject({ kind: 'refund', values: { refunded: '$7.00' } });
    expect(refundFailed).toEqual({
      kind: 'refund_failed',
      values: { amount: '$7.00', paid: '$20.00', reason: 'The card the payment was made with has expired or been canceled.', reference: payment.paymentId },
    });
    expect(rest).toEqual([]);
  });

  it('a refund the merchant canceled while it awaited the customer sends no refund failure notice', async () => {
    const { h, payment, metadata } = await paidThenRefunded(700);
    const canceled = refundObject({ id: 're_1', intentId: payment.stripePaymentIntentId, amount: 700, created: T + 10, status: 'canceled', failureReason: 'merchant_request', metadata });
    await h.useCase.execute(stripeEvent('refund.updated', canceled, { created: T + 600, previousAttributes: { status: 'requires_action' } }));
    expect(planned(h.publisher.events()).slice(1)).toEqual([
      { kind: 'refund', values: expect.objectContaining({ refunded: '$7.00' }) },
      { skipped: 'the refund was canceled by the merchant' },
    ]);
  });

  it('a subscription\'s renewal invoice sends the renewal notice; its first invoice (the checkout just made) does not', async () => {
    const h = await eventsWorkerHarness();
    await h.useCase.execute(stripeEvent('invoice.paid', invoiceObject({ id: 'in_first', subscription: 'sub_1', paid: true, billingReason: 'subscription_create' }), { created: T }));
    await h.useCase.execute(stripeEvent('invoice.paid', invoiceObject({ id: 'in_renewal', subscription: 'sub_1', paid: true, billingReason: 'subscription_cycle' }), { created: T + 30 * 86_400 }));
    expect(planned(h.publisher.events())).toEqual([
      { skipped: 'invoice.paid (subscription_create) is not a renewal' },
      { kind: 'subscription_renewed', values: expect.objectContaining({ amount: '$15.00', reference: 'in_renewal' }) },
    ]);
  });

  it('a declined attempt reported after the payment succeeded sends no failure notice; one reported in time does', async () => {
    const h = await eventsWorkerHarness();
    const payment = samplePayment(h.userId, { stripeCustomerId: h.stripeCustomerId, amount: 2000, stripeUpdatedAt: T - 100 });
    await h.payments.create(payment);
    const metadata = { userId: h.userId, paymentId: payment.paymentId };
    const decline = { code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' };
    await h.useCase.execute(stripeEvent('payment_intent.payment_failed', intentObject({ id: payment.stripePaymentIntentId, status: 'requires_payment_method', metadata, lastPaymentError: decline }), { created: T }));
    await h.useCase.execute(stripeEvent('payment_intent.succeeded', intentObject({ id: payment.stripePaymentIntentId, status: 'succeeded', metadata }), { created: T + 20 }));
    await h.useCase.execute(stripeEvent('payment_intent.payment_failed', intentObject({ id: payment.stripePaymentIntentId, status: 'requires_payment_method', metadata, lastPaymentError: decline }), { created: T + 10 }));
    expect(planned(h.publisher.events()).map((p) => ('kind' in p ? p.kind : p.skipped))).toEqual(['payment_failed', 'receipt', 'payment.failed for a payment that is succeeded now']);
  });
});
