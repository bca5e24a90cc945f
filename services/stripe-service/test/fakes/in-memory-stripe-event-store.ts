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
  /** The port's methods called, in order: what a use case costs in calls to the table. */
  readonly calls: (keyof StripeEventStore)[] = [];

  async recordReceipt(input: { eventId: string; type: string; nowMs: number; ttlSeconds: number; leaseMs?: number }): Promise<RecordReceiptResult> {
    this.check('recordReceipt');
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

  /** A record as an older deploy left it once its send succeeded: `enqueued`, no lease. */
  writeEnqueuedRecord(record: { eventId: string; type: string; receivedAt: number; ttl: number }): void {
    this.rows.set(record.eventId, { ...record, status: 'enqueued', processedAt: undefined, leaseUntil: undefined });
  }

  async markProcessed(eventId: string, nowMs: number, ttlSeconds: number, read?: { record: StripeEventRecord | undefined }): Promise<void> {
    this.check('markProcessed');
    const row = read ? read.record : this.rows.get(eventId);
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
    this.check('get');
    const row = this.rows.get(eventId);
    if (!row) return undefined;
    const { leaseUntil: _lease, ...record } = row;
    return { ...record };
  }

  /** Every record, for assertions. */
  all(): StripeEventRecord[] {
    return [...this.rows.values()].map(({ leaseUntil: _lease, ...record }) => ({ ...record }));
  }

  private check(call: keyof StripeEventStore): void {
    this.calls.push(call);
    if (this.failure) throw this.failure;
  }
}
