import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { NotificationMetrics } from '../../application/ports/notification-metrics';

/** EMF metrics NotificationSent, NotificationSkipped and NotificationFailed, one dimension each so a new reason shows as its own line. */
export class EmfNotificationMetrics implements NotificationMetrics {
  constructor(private readonly metrics: Metrics) {}

  sent(template: string): void {
    this.emit('NotificationSent', 'template', template);
  }

  skipped(reason: string): void {
    this.emit('NotificationSkipped', 'reason', reason);
  }

  failed(reason: string): void {
    this.emit('NotificationFailed', 'reason', reason);
  }

  private emit(name: string, dimension: string, value: string): void {
    const single = this.metrics.singleMetric();
    single.addDimension(dimension, value);
    single.addMetric(name, MetricUnit.Count, 1);
  }
}
