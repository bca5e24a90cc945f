import type { Clock } from '../ports/clock';
import type { StripeEventMessage, StripeEventQueue } from '../ports/stripe-event-queue';
import { STRIPE_EVENT_RECORD_TTL_SECONDS, type StripeEventStore } from '../ports/stripe-event-store';
import { WebhookEventInProgressError } from './webhook-errors';

export interface EnqueueStripeEventOptions {
  /** Records are kept this long (Stripe retries for three days; replays look back further). */
  ttlSeconds?: number;
  /** How long to wait for a concurrent handler of the same event before giving up with 409. */
  inProgressWaitMs?: number;
}

export type EnqueueOutcome = 'enqueued' | 'duplicate';

const POLL_MS = 25;

/**
 * The one path by which a Stripe event reaches the events worker, whether a webhook delivered it
 * or a replay found it in Stripe's event log: record its id (one conditional write decides who
 * enqueues it), enqueue it, mark it enqueued. The record comes first, so two handlers of one event
 * never both enqueue; "enqueued" is written only after the enqueue, so a crash in between leaves
 * it "received" and the next handler enqueues it.
 */
export class EnqueueStripeEvent {
  private readonly ttlSeconds: number;
  private readonly inProgressWaitMs: number;

  constructor(
    private readonly store: StripeEventStore,
    private readonly queue: StripeEventQueue,
    private readonly clock: Clock,
    options: EnqueueStripeEventOptions = {},
  ) {
    this.ttlSeconds = options.ttlSeconds ?? STRIPE_EVENT_RECORD_TTL_SECONDS;
    this.inProgressWaitMs = options.inProgressWaitMs ?? 2_000;
  }

  /** Throws WebhookEventInProgressError when another handler holds the event past the wait. */
  async execute(message: StripeEventMessage): Promise<EnqueueOutcome> {
    const receipt = await this.store.recordReceipt({ eventId: message.eventId, type: message.type, nowMs: this.clock.now(), ttlSeconds: this.ttlSeconds });
    if (receipt.kind === 'duplicate') return 'duplicate';
    if (receipt.kind === 'in_progress') {
      await this.awaitOtherHandler(message.eventId);
      return 'duplicate';
    }
    await this.queue.enqueue(message);
    try {
      await this.store.markEnqueued(message.eventId);
    } catch {
      // The event is safe on the queue; failing now would only make Stripe deliver it again and the
      // record, left "received", lets that redelivery enqueue a copy. The worker's mark ends it.
    }
    return 'enqueued';
  }

  /** Concurrent deliveries of one event are usual (Stripe retries, duplicates): wait for the one that enqueues. */
  private async awaitOtherHandler(eventId: string): Promise<void> {
    const deadline = this.clock.now() + this.inProgressWaitMs;
    while (this.clock.now() < deadline) {
      await this.clock.sleep(POLL_MS);
      const record = await this.store.get(eventId);
      if (record && record.status !== 'received') return;
    }
    throw new WebhookEventInProgressError();
  }
}
