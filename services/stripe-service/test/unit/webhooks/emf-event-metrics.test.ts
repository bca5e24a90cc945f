import { Metrics } from '@aws-lambda-powertools/metrics';
import { EmfEventMetrics } from '../../../src/adapters/telemetry/emf-event-metrics';
import { captureOutput } from '../../../../../shared/test/support/capture-output';

describe('EmfEventMetrics', () => {
  it('counts the billing events a stale Stripe event still published, as it counts those of a processed one', async () => {
    const previous = process.env.POWERTOOLS_METRICS_DISABLED;
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    const { written } = await captureOutput('stdout', () => {
      const metrics = new Metrics({ namespace: 'Test', serviceName: 'test' });
      const emf = new EmfEventMetrics(metrics);
      emf.processed('payment_intent.succeeded', 1);
      emf.outOfOrder('charge.refunded', 1);
      emf.outOfOrder('payment_intent.requires_action', 0);
      metrics.publishStoredMetrics();
    }).finally(() => {
      process.env.POWERTOOLS_METRICS_DISABLED = previous;
    });
    const document = JSON.parse(written.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
    expect(document).toMatchObject({ StripeEventProcessed: 1, StripeEventOutOfOrder: [1, 1], BillingEventPublished: [1, 1] });
  });
});
