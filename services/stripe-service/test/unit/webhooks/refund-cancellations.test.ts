import { expectPublishedEventsMatchSchemas } from '../../support/billing-event-schemas';
import { withPaidPayment } from '../../support/paid-payment';
import { chargeRefundedEvent, refundObject, stripeEvent } from '../../support/stripe-event-payloads';

const T = 1_767_225_700;

/** A paid payment of 2000 made through the API, with a refund of 700 awaiting the customer (a bank-transfer method). */
async function awaitingRefund() {
  const h = await withPaidPayment({ stripeUpdatedAt: T - 100 });
  const { intentId } = h;
  const refund = (status: string, failureReason?: string) => refundObject({ id: 're_wait', intentId, amount: 700, created: T, status, ...(failureReason ? { failureReason } : {}) });
  await h.useCase.execute(stripeEvent('refund.created', refund('requires_action'), { created: T }));
  await h.useCase.execute(chargeRefundedEvent({ intentId, refunded: 700, before: 0 }, { created: T }));
  return { ...h, refund };
}

describe('ProcessStripeEvent: a refund canceled after it was reported', () => {
  it('reports the cancellation once as payment.refund_failed, reason canceled, from the refund.updated that made it, also on a redelivery', async () => {
    const h = await awaitingRefund();
    expect(await h.stored()).toMatchObject({ status: 'partially_refunded', amountRefunded: 700 });
    // Stripe's canceled refund carries failure_reason merchant_request, and no refund.failed follows.
    const canceled = stripeEvent('refund.updated', h.refund('canceled', 'merchant_request'), { created: T + 600, previousAttributes: { status: 'requires_action', failure_reason: null } });
    // The first delivery crashes after publishing, before the mark; the second finds the record changed already.
    const original = h.store.markProcessed.bind(h.store);
    h.store.markProcessed = async () => {
      throw new Error('crashed before the mark');
    };
    await expect(h.useCase.execute(canceled)).rejects.toThrow('crashed before the mark');
    h.store.markProcessed = original;
    const first = h.publisher.events().at(-1);
    const result = await h.useCase.execute(canceled);
    expect(result.published).toEqual([first]);
    expect(result.published).toEqual([
      expect.objectContaining({
        id: `bevt_${canceled.eventId}`,
        type: 'payment.refund_failed',
        data: expect.objectContaining({ status: 'succeeded', amountRefunded: 0, refund: { refundId: 're_wait', amount: 700, failureReason: 'canceled' } }),
      }),
    ]);
    expect(await h.stored()).toMatchObject({ status: 'succeeded', amountRefunded: 0, refunds: [expect.objectContaining({ id: 're_wait', status: 'canceled' })] });
    expectPublishedEventsMatchSchemas(h.publisher.events());
  });

  it('reports nothing for an update of a refund that was canceled already, nor for a move that is no cancellation', async () => {
    const h = await awaitingRefund();
    await h.useCase.execute(stripeEvent('refund.updated', h.refund('canceled', 'merchant_request'), { created: T + 600, previousAttributes: { status: 'requires_action' } }));
    const before = h.publisher.events().length;
    // Its metadata changed later: the refund stays canceled, no second report.
    const later = await h.useCase.execute(stripeEvent('refund.updated', h.refund('canceled', 'merchant_request'), { created: T + 900, previousAttributes: { metadata: {} } }));
    // A refund that succeeds is no failure either.
    const other = await h.useCase.execute(stripeEvent('refund.updated', refundObject({ id: 're_ok', intentId: (await h.stored()).stripePaymentIntentId, amount: 100, created: T + 950, status: 'succeeded' }), { created: T + 1000, previousAttributes: { status: 'pending' } }));
    expect([later.published, other.published, h.publisher.events().length - before]).toEqual([[], [], 0]);
  });
});
