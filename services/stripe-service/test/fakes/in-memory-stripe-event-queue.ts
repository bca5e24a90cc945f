import type { StripeEventMessage, StripeEventQueue } from '../../src/application/ports/stripe-event-queue';

/** For unit tests of use cases; the StripeEventQueue contract suite proves it behaves like the SQS adapter. */
export class InMemoryStripeEventQueue implements StripeEventQueue {
  readonly messages: StripeEventMessage[] = [];
  /** When set, enqueue fails with it (the queue unavailable). */
  failure: Error | undefined;

  async enqueue(message: StripeEventMessage): Promise<void> {
    if (this.failure) throw this.failure;
    // A JSON copy, as SQS carries it: later changes to the caller's object must not show here.
    this.messages.push(JSON.parse(JSON.stringify(message)) as StripeEventMessage);
  }
}
