import { DomainError } from '@shared/errors/domain-error';
import type { Clock } from '../ports/clock';
import type { EventGateway, GatewayEvent } from '../ports/event-gateway';
import type { ReplayCheckpoint, ReplayCheckpointStore, ReplayCounts } from '../ports/replay-checkpoint-store';
import type { StripeEventMessage, StripeEventQueue } from '../ports/stripe-event-queue';
import type { StripeEventStore } from '../ports/stripe-event-store';
import { TokenBucket } from '../shared/token-bucket';
import type { EnqueueStripeEvent } from './enqueue-stripe-event';
import { ReplayCheckpointMismatchError } from './replay-errors';
import { WebhookEventInProgressError } from './webhook-errors';

export interface ReplayInput {
  /** Epoch seconds: events created after this (Stripe keeps 30 days). */
  since: number;
  types?: string[];
  /** Count what would be fed, feed nothing. */
  dryRun?: boolean;
  /**
   * Also feed events an older deploy marked `enqueued` and the worker never processed (by default
   * they are counted as pending: see redrive). A `received` record past its lease is fed anyway.
   */
  includeEnqueued?: boolean;
  /** Continue from the saved checkpoint of the same replay. */
  resume?: boolean;
  onProgress?: (counts: ReplayCounts) => void;
}

export interface ReplayOptions {
  /** Requests per second to Stripe; Stripe's test mode allows 25 reads a second, live mode 100. */
  ratePerSecond?: number;
  pageSize?: number;
  /** Attempts per page when Stripe rate-limits or fails (429, 5xx, network). */
  maxAttempts?: number;
  /** First backoff when Stripe says nothing of when to retry; doubled per attempt. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}

export interface ReplayResult {
  counts: ReplayCounts;
  /** Whether it resumed a checkpoint. */
  resumed: boolean;
}

const emptyCounts = (): ReplayCounts => ({ pages: 0, seen: 0, enqueued: 0, processed: 0, pending: 0, concurrent: 0, wouldEnqueue: 0 });

/**
 * Feeds the events worker every Stripe event since a time that it never got: after an outage
 * longer than Stripe's three days of retries, or for a new environment. Events come from Stripe's
 * event log, newest first, a page at a time under a request rate; each one never processed goes
 * the webhook's own way (EnqueueStripeEvent), so a replay racing live deliveries enqueues nothing
 * twice. After each page a checkpoint is saved: an interrupted replay resumes from there.
 *
 * A record still `received` past its lease is fed: it may be an attempt that never got the event
 * onto the queue (an outage longer than Stripe's retries leaves exactly these), and if it did, the
 * second copy is deduped by the worker. One inside its lease is in flight and counted concurrent.
 */
export class ReplayStripeEvents {
  private readonly bucket: TokenBucket;
  private readonly pageSize: number;
  private readonly maxAttempts: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;

  constructor(
    private readonly events: EventGateway,
    private readonly store: StripeEventStore,
    private readonly queue: StripeEventQueue,
    private readonly enqueue: EnqueueStripeEvent,
    private readonly checkpoints: ReplayCheckpointStore,
    private readonly clock: Clock,
    options: ReplayOptions = {},
  ) {
    this.bucket = new TokenBucket(clock, options.ratePerSecond ?? 25);
    this.pageSize = options.pageSize ?? 100;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.backoffBaseMs = options.backoffBaseMs ?? 1_000;
    this.backoffMaxMs = options.backoffMaxMs ?? 30_000;
  }

  async execute(input: ReplayInput): Promise<ReplayResult> {
    const types = [...new Set(input.types ?? [])].sort();
    const start = input.resume ? await this.resumable(input.since, types) : undefined;
    const counts = start ? { ...start.counts } : emptyCounts();
    let cursor = start?.cursor;
    for (;;) {
      const page = await this.listPage(types, input.since, cursor);
      for (const event of page.events) await this.feed(event, input, counts);
      counts.pages += 1;
      input.onProgress?.({ ...counts });
      const last = page.events.at(-1);
      if (!page.hasMore || !last) break;
      cursor = last.id;
      if (!input.dryRun) await this.checkpoints.save({ since: input.since, types, cursor, counts: { ...counts }, updatedAt: this.clock.now() });
    }
    if (!input.dryRun) await this.checkpoints.clear();
    return { counts, resumed: start !== undefined };
  }

  private async resumable(since: number, types: string[]): Promise<ReplayCheckpoint | undefined> {
    const checkpoint = await this.checkpoints.load();
    if (!checkpoint) return undefined;
    if (checkpoint.since !== since || checkpoint.types.join(',') !== types.join(',')) throw new ReplayCheckpointMismatchError(checkpoint);
    return checkpoint;
  }

  private async feed(event: GatewayEvent, input: ReplayInput, counts: ReplayCounts): Promise<void> {
    counts.seen += 1;
    const record = await this.store.get(event.id);
    if (record?.status === 'processed') {
      counts.processed += 1;
      return;
    }
    const enqueuedBefore = record?.status === 'enqueued';
    if (enqueuedBefore && !input.includeEnqueued) {
      counts.pending += 1;
      return;
    }
    if (input.dryRun) {
      counts.wouldEnqueue += 1;
      return;
    }
    const message = toMessage(event);
    if (enqueuedBefore) {
      // Asked for: its first message is presumed lost (or dead-lettered); the worker dedupes a copy.
      await this.queue.enqueue(message);
      counts.enqueued += 1;
      return;
    }
    try {
      const outcome = await this.enqueue.execute(message);
      if (outcome === 'enqueued') counts.enqueued += 1;
      else counts.concurrent += 1;
    } catch (error) {
      if (!(error instanceof WebhookEventInProgressError)) throw error;
      counts.concurrent += 1;
    }
  }

  /** One page, within the request rate; 429s and outages wait (Retry-After, else exponential) and try again. */
  private async listPage(types: string[], since: number, cursor: string | undefined) {
    for (let attempt = 1; ; attempt++) {
      await this.bucket.take();
      try {
        return await this.events.listEvents({
          ...(types.length ? { types } : {}),
          createdAfter: since,
          ...(cursor ? { startingAfter: cursor } : {}),
          limit: this.pageSize,
        });
      } catch (error) {
        const retryable = error instanceof DomainError && (error.kind === 'rate_limited' || error.kind === 'unavailable');
        if (!retryable || attempt >= this.maxAttempts) throw error;
        const exponential = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** (attempt - 1));
        const told = error.kind === 'rate_limited' && error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : 0;
        await this.clock.sleep(Math.max(told, exponential));
      }
    }
  }
}

function toMessage(event: GatewayEvent): StripeEventMessage {
  const livemode = typeof event.payload === 'object' && event.payload !== null && 'livemode' in event.payload && event.payload.livemode === true;
  return { eventId: event.id, type: event.type, created: event.created, livemode, payload: event.payload };
}
