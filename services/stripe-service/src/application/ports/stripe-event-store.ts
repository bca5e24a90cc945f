/**
 * The webhook idempotency table: one record per Stripe event id, so each event is enqueued once
 * per lease and applied once although Stripe delivers at least once. The ingress writes `received`
 * (with a lease) before it sends the event to the queue and answers on the send alone; the worker
 * marks `processed` once every effect is done, and that mark is what closes the record.
 * `enqueued` is no longer written: records an older deploy marked so are read, within their
 * 30-day time to live, as sent (duplicates), never as lost.
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
  /** First sight of this event, or a `received` record past its lease: enqueue it. */
  | { kind: 'enqueue' }
  /** Processed (or marked enqueued by an older deploy): nothing to do but answer 200. */
  | { kind: 'duplicate'; status: Exclude<StripeEventStatus, 'received'> }
  /**
   * Another delivery of the same event recorded it within the lease, and the worker has not
   * processed it yet: that delivery may still be sending it, or have sent it. Enqueueing too would
   * double it for nothing, answering 200 could lose it if that delivery then fails.
   */
  | { kind: 'in_progress' };

/**
 * How long a `received` record belongs to the delivery that wrote it. Longer than the webhook
 * function's timeout, so a slow delivery is never overtaken; short next to Stripe's first retry
 * (minutes), so a crashed one is enqueued by the next. Past it, a record still `received` is taken
 * over and enqueued again, because nothing tells an attempt that crashed before its send from one
 * that sent and whose event the worker has not processed within the lease (a backlog, a retried
 * failure, the dead-letter queue): in that second case the queue holds two copies and the worker,
 * which dedupes on this record, applies one.
 */
export const DEFAULT_RECEIPT_LEASE_MS = 30_000;

export interface StripeEventStore {
  /** Records a delivery (conditional write) and says whether it must be enqueued. */
  recordReceipt(input: { eventId: string; type: string; nowMs: number; ttlSeconds: number; leaseMs?: number }): Promise<RecordReceiptResult>;
  /**
   * After the worker applied every effect of the event (records, billing events). Keeps the
   * receipt's type and time; given `read` (what get() answered before the event was applied, its
   * record or none), those are taken from it, so that marks made together may be written together.
   */
  markProcessed(eventId: string, nowMs: number, ttlSeconds: number, read?: { record: StripeEventRecord | undefined }): Promise<void>;
  get(eventId: string): Promise<StripeEventRecord | undefined>;
}

export const STRIPE_EVENT_STORE = Symbol.for('StripeEventStore');
