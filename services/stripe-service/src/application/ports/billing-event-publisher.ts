import type { BillingEvent } from '@shared/events/billing-event';

/** Where billing events go for downstream services (the billing events topic). */
export interface BillingEventPublisher {
  /** Publishes one event, with `type` and `userId` also as message attributes; resolves once the topic has it. */
  publish(event: BillingEvent): Promise<void>;
}

export const BILLING_EVENT_PUBLISHER = Symbol.for('BillingEventPublisher');
