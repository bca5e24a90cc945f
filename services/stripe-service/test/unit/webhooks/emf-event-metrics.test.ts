import { EmfEventMetrics } from '../../../src/adapters/telemetry/emf-event-metrics';
import { emfDocument } from '../../support/emf-document';

describe('EmfEventMetrics', () => {
  it('counts the billing events a stale Stripe event still published, as it counts those of a processed one', async () => {
    const document = await emfDocument((metrics) => {
      const emf = new EmfEventMetrics(metrics);
      emf.processed('payment_intent.succeeded', 1);
      emf.outOfOrder('charge.refunded', 1);
      emf.outOfOrder('payment_intent.requires_action', 0);
    });
    expect(document).toMatchObject({ StripeEventProcessed: 1, StripeEventOutOfOrder: [1, 1], BillingEventPublished: [1, 1] });
  });
});
