import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { EventMetrics } from '../../application/ports/event-metrics';

/** The events worker's counts as CloudWatch embedded metrics, flushed with the batch's other metrics. */
export class EmfEventMetrics implements EventMetrics {
  constructor(private readonly metrics: Metrics) {}

  processed(_stripeEventType: string, published: number): void {
    this.metrics.addMetric('StripeEventProcessed', MetricUnit.Count, 1);
    this.countPublished(published);
  }

  duplicate(): void {
    this.metrics.addMetric('StripeEventDuplicate', MetricUnit.Count, 1);
  }

  outOfOrder(_stripeEventType: string, published: number): void {
    this.metrics.addMetric('StripeEventOutOfOrder', MetricUnit.Count, 1);
    this.countPublished(published);
  }

  private countPublished(published: number): void {
    if (published > 0) this.metrics.addMetric('BillingEventPublished', MetricUnit.Count, published);
  }

  unknownType(stripeEventType: string): void {
    // By type, so a newly enabled event type that nobody handles shows up as its own line.
    const byType = this.metrics.singleMetric();
    byType.addDimension('eventType', stripeEventType.slice(0, 100));
    byType.addMetric('StripeEventUnknownType', MetricUnit.Count, 1);
  }

  failed(permanent: boolean): void {
    this.metrics.addMetric(permanent ? 'StripeEventRejected' : 'StripeEventFailed', MetricUnit.Count, 1);
  }
}
