/**
 * The webhook idempotency table: one record per Stripe event id, so each event is enqueued once
 * and applied once although Stripe delivers at least once. `received` is written before the event
 * is enqueued and `enqueued` after, so a delivery whose earlier attempt crashed in between is
 * enqueued again instead of swallowed; the worker marks `processed` once every effect is done.
 */
export type StripeEventStatus = 'received' | 'enqueued' | 'processed';

/**
 * How long a record is kept: well past the three days Stripe retries a delivery and the 30 days its
 * events API lists an event (what a replay reads), so a late redelivery still finds it.
 */
export const STRIPE_EVENT_RECORD_TTL_SECONDS = 30 * 24 * 3600;

export interface StripeEventRecord {
  eventId: string;
  type: string;
  status: StripeEventStatus;
  /** Epoch ms. */
  receivedAt: number;
  processedAt: number | undefined;
  /** Epoch seconds at which DynamoDB may delete the record (30 days after receipt). */
  ttl: number;
}

export type RecordReceiptResult =
  /** First sight of this event (or an earlier attempt never got it enqueued): enqueue it. */
  | { kind: 'enqueue' }
  /** Enqueued or processed before: nothing to do but answer 200. */
  | { kind: 'duplicate'; status: Exclude<StripeEventStatus, 'received'> }
  /**
   * Another delivery of the same event recorded it moments ago and has not enqueued it yet (its
   * lease has not run out): enqueueing too would double it, answering 200 could lose it if that
   * delivery then fails.
   */
  | { kind: 'in_progress' };

/**
 * How long a `received` record belongs to the delivery that wrote it. Longer than the webhook
 * function's timeout, so a slow delivery is never overtaken; short next to Stripe's first retry
 * (minutes), so a crashed one is enqueued by the next.
 */
export const DEFAULT_RECEIPT_LEASE_MS = 30_000;

export interface StripeEventStore {
  /** Records a delivery (conditional write) and says whether it must be enqueued. */
  recordReceipt(input: { eventId: string; type: string; nowMs: number; ttlSeconds: number; leaseMs?: number }): Promise<RecordReceiptResult>;
  /** After the enqueue succeeded; never moves a processed record back. */
  markEnqueued(eventId: string): Promise<void>;
  /** After the worker applied every effect of the event (records, billing events). */
  markProcessed(eventId: string, nowMs: number, ttlSeconds: number): Promise<void>;
  get(eventId: string): Promise<StripeEventRecord | undefined>;
}

export const STRIPE_EVENT_STORE = Symbol.for('StripeEventStore');
