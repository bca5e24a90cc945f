import type { BillingEvent } from '@shared/events/billing-event';
import type { BillingEventPublisher } from '../../src/application/ports/billing-event-publisher';

/** For unit tests of use cases; the BillingEventPublisher contract suite proves it behaves like the SNS adapter. */
export class InMemoryBillingEventPublisher implements BillingEventPublisher {
  /** Every event published, in order, with the attributes a subscription's filter policy would see. */
  readonly published: { event: BillingEvent; attributes: Record<string, string> }[] = [];
  /** When set, every publish fails with it (the topic unavailable). */
  failure: Error | undefined;
  /** Ids of events whose publishes fail, each alone (the topic refusing one message). */
  readonly refused = new Set<string>();

  async publish(event: BillingEvent): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.refused.has(event.id)) throw new Error(`the topic refused ${event.id}`);
    this.published.push({ event: structuredClone(event), attributes: { type: event.type, userId: event.userId } });
  }

  events(): BillingEvent[] {
    return this.published.map((p) => p.event);
  }
}
