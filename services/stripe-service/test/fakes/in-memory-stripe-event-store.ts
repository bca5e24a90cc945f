import {
  DEFAULT_RECEIPT_LEASE_MS,
  type RecordReceiptResult,
  type StripeEventRecord,
  type StripeEventStore,
} from '../../src/application/ports/stripe-event-store';

interface Row extends StripeEventRecord {
  leaseUntil: number | undefined;
}

/** For unit tests of use cases; the StripeEventStore contract suite proves it behaves like the DynamoDB adapter. */
export class InMemoryStripeEventStore implements StripeEventStore {
  private readonly rows = new Map<string, Row>();
  /** When set, every call fails with it (the table unavailable). */
  failure: Error | undefined;
  /** When set, only markEnqueued fails with it. */
  markEnqueuedFailure: Error | undefined;

  async recordReceipt(input: { eventId: string; type: string; nowMs: number; ttlSeconds: number; leaseMs?: number }): Promise<RecordReceiptResult> {
    this.check();
    const nowSeconds = Math.floor(input.nowMs / 1000);
    const existing = this.rows.get(input.eventId);
    const free = !existing || existing.ttl <= nowSeconds || (existing.status === 'received' && (existing.leaseUntil ?? 0) <= input.nowMs);
    if (free) {
      this.rows.set(input.eventId, {
        eventId: input.eventId,
        type: input.type,
        status: 'received',
        receivedAt: input.nowMs,
        processedAt: undefined,
        leaseUntil: input.nowMs + (input.leaseMs ?? DEFAULT_RECEIPT_LEASE_MS),
        ttl: nowSeconds + input.ttlSeconds,
      });
      return { kind: 'enqueue' };
    }
    return existing.status === 'received' ? { kind: 'in_progress' } : { kind: 'duplicate', status: existing.status };
  }

  async markEnqueued(eventId: string): Promise<void> {
    this.check();
    if (this.markEnqueuedFailure) throw this.markEnqueuedFailure;
    const row = this.rows.get(eventId);
    if (row?.status === 'received') {
      row.status = 'enqueued';
      row.leaseUntil = undefined;
    }
  }

  async markProcessed(eventId: string, nowMs: number, ttlSeconds: number): Promise<void> {
    this.check();
    const row = this.rows.get(eventId);
    this.rows.set(eventId, {
      eventId,
      type: row?.type ?? '',
      status: 'processed',
      receivedAt: row?.receivedAt ?? nowMs,
      processedAt: nowMs,
      leaseUntil: undefined,
      ttl: Math.floor(nowMs / 1000) + ttlSeconds,
    });
  }

  async get(eventId: string): Promise<StripeEventRecord | undefined> {
    this.check();
    const row = this.rows.get(eventId);
    if (!row) return undefined;
    const { leaseUntil: _lease, ...record } = row;
    return { ...record };
  }

  /** Every record, for assertions. */
  all(): StripeEventRecord[] {
    return [...this.rows.values()].map(({ leaseUntil: _lease, ...record }) => ({ ...record }));
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }
}
