import { eventsWorkerHarness } from '../../support/events-worker-harness';
import { samplePayment } from '../../support/sample-payment';
import { refundObject, stripeEvent } from '../../support/stripe-event-payloads';

const T = 1_767_225_700;

/** A paid payment of 2000 made through the API. */
async function paidPayment() {
  const h = await eventsWorkerHarness();
  const payment = samplePayment(h.userId, { stripeCustomerId: h.stripeCustomerId, amount: 2000, amountReceived: 2000, status: 'succeeded', intentStatus: 'succeeded', stripeUpdatedAt: T - 100 });
  await h.payments.create(payment);
  const refund = (status: string) => refundObject({ id: 're_wait', intentId: payment.stripePaymentIntentId, amount: 700, created: T, status });
  return { ...h, refund, stored: async () => (await h.payments.get(h.userId, payment.paymentId))! };
}

describe('ProcessStripeEvent: a refund moving between two waiting statuses', () => {
  it('ends in the status of the later event, pending or requires_action, whichever arrives first', async () => {
    const finals: Record<string, unknown> = {};
    for (const [later, earlier] of [['requires_action', 'pending'], ['pending', 'requires_action']] as const) {
      for (const order of ['in order', 'reversed']) {
        const h = await paidPayment();
        const events = [
          stripeEvent('refund.updated', h.refund(earlier), { created: T + 10 }),
          stripeEvent('refund.updated', h.refund(later), { created: T + 20, previousAttributes: { status: earlier } }),
        ];
        for (const event of order === 'in order' ? events : [...events].reverse()) await h.useCase.execute(event);
        const stored = await h.stored();
        finals[`${earlier} then ${later}, ${order}`] = { status: stored.refunds.find((r) => r.id === 're_wait')?.status, amountRefunded: stored.amountRefunded };
      }
    }
    expect(finals).toEqual({
      'pending then requires_action, in order': { status: 'requires_action', amountRefunded: 700 },
      'pending then requires_action, reversed': { status: 'requires_action', amountRefunded: 700 },
      'requires_action then pending, in order': { status: 'pending', amountRefunded: 700 },
      'requires_action then pending, reversed': { status: 'pending', amountRefunded: 700 },
    });
  });
});
