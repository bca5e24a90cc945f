import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { WebhookMetrics } from '../../application/ports/webhook-metrics';
import type { WebhookRejection } from '../../application/ports/webhook-signature-verifier';

/** Webhook ingress metrics as CloudWatch embedded metrics, flushed with the request's other metrics. */
export class EmfWebhookMetrics implements WebhookMetrics {
  constructor(private readonly metrics: Metrics) {}

  received(_eventType: string): void {
    // Per-type counts would be one dimension set per event type; the worker counts by type.
    this.metrics.addMetric('WebhookReceived', MetricUnit.Count, 1);
  }

  duplicate(): void {
    this.metrics.addMetric('WebhookDuplicate', MetricUnit.Count, 1);
  }

  signatureInvalid(reason: WebhookRejection): void {
    this.metrics.addMetric('WebhookSignatureInvalid', MetricUnit.Count, 1);
    // Searchable in the EMF record without splitting the metric by reason.
    this.metrics.addMetadata('signatureRejection', reason);
  }

  livemodeMismatch(): void {
    this.metrics.addMetric('WebhookLivemodeMismatch', MetricUnit.Count, 1);
  }

  malformed(): void {
    this.metrics.addMetric('WebhookMalformed', MetricUnit.Count, 1);
  }
}
