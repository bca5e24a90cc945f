import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { PaymentMetrics } from '../../application/ports/payment-metrics';

/** Payment metrics as CloudWatch embedded metrics, flushed with the request's other metrics. */
export class EmfPaymentMetrics implements PaymentMetrics {
  constructor(private readonly metrics: Metrics) {}

  invalidPaymentRequest(): void {
    this.metrics.addMetric('InvalidPaymentRequest', MetricUnit.Count, 1);
  }

  successfulPayment(_currency: string, _amount: number): void {
    // Amounts in different currencies do not add up, so only the count is a metric.
    this.metrics.addMetric('SuccessfulPayment', MetricUnit.Count, 1);
  }

  failedPayment(): void {
    this.metrics.addMetric('FailedPayment', MetricUnit.Count, 1);
  }

  stripeCall(durationMs: number, ok: boolean): void {
    this.metrics.addMetric('StripeLatency', MetricUnit.Milliseconds, durationMs);
    if (!ok) this.metrics.addMetric('StripeError', MetricUnit.Count, 1);
  }
}
