import type { Clock } from '../ports/clock';
import type { StripeEventMessage, StripeEventQueue } from '../ports/stripe-event-queue';
import { STRIPE_EVENT_RECORD_TTL_SECONDS, type StripeEventStore } from '../ports/stripe-event-store';
import { WebhookEventInProgressError } from './webhook-errors';

export interface EnqueueStripeEventOptions {
  /** Records are kept this long (Stripe retries for three days; replays look back further). */
  ttlSeconds?: number;
  /**
   * How long a delivery that finds the event in flight waits for the worker to mark it processed
   * before giving up with 409 (0: not at all).
   */
  inProgressWaitMs?: number;
}

export type EnqueueOutcome = 'enqueued' | 'duplicate';

/**
 * The worker's mark comes a queue hop and a batch after the send, so the wait's reads start close
 * together and spread out: a burst of duplicates does not turn into a burst of reads.
 */
const FIRST_POLL_MS = 25;
const MAX_POLL_MS = 200;

/**
 * A waiting delivery ends in 200 only if the worker marks the event within the wait, and in 409
 * otherwise, which is as safe: Stripe delivers again later. Long enough for an idle worker's queue
 * hop and batch, short next to the function's 10 s timeout, so duplicates arriving in a burst
 * (Stripe's retries after an outage) do not hold the function's concurrency on a backlog.
 */
export const DEFAULT_IN_PROGRESS_WAIT_MS = 1_000;

/**
 * The one path by which a Stripe event reaches the events worker, whether a webhook delivered it
 * or a replay found it in Stripe's event log: record its id (one conditional write, with a lease,
 * decides who enqueues it), then enqueue it; two calls, and the answer. The record comes first, so
 * two handlers of one event never both enqueue within the lease; nothing is written after the send,
 * because the worker's `processed` mark closes the record: a crash before the send leaves it
 * `received`, and the next handler past the lease enqueues it.
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
    this.inProgressWaitMs = options.inProgressWaitMs ?? DEFAULT_IN_PROGRESS_WAIT_MS;
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
    return 'enqueued';
  }

  /**
   * Another delivery holds the event: it may have sent it or still be sending it, so only the
   * worker's mark (or an older deploy's `enqueued`) says it is safe to answer 200.
   */
  private async awaitOtherHandler(eventId: string): Promise<void> {
    const deadline = this.clock.now() + this.inProgressWaitMs;
    let pause = FIRST_POLL_MS;
    while (this.clock.now() < deadline) {
      await this.clock.sleep(Math.min(pause, deadline - this.clock.now()));
      pause = Math.min(pause * 2, MAX_POLL_MS);
      const record = await this.store.get(eventId);
      if (record && record.status !== 'received') return;
    }
    throw new WebhookEventInProgressError();
  }
}
