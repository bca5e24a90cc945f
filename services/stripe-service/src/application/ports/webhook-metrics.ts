import type { WebhookRejection } from './webhook-signature-verifier';

/** What the webhook ingress counts (CloudWatch EMF in AWS); names are listed in docs/webhooks.md. */
export interface WebhookMetrics {
  /** A verified event of our mode, before deduplication. */
  received(eventType: string): void;
  /** A delivery of an event already enqueued or processed (or being enqueued by another delivery). */
  duplicate(): void;
  /** A delivery refused because its signature did not verify. */
  signatureInvalid(reason: WebhookRejection): void;
  /** A verified event of the other mode (live on a test stack, or test on a live one), dropped. */
  livemodeMismatch(): void;
  /** A verified body that is not a Stripe event. */
  malformed(): void;
}

export const WEBHOOK_METRICS = Symbol.for('WebhookMetrics');
