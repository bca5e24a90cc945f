import { randomUUID } from 'node:crypto';
import type { StripeEventStore } from '../../src/application/ports/stripe-event-store';

/** A record as an older deploy left it once its send succeeded: `enqueued`, without a lease. */
export type EnqueuedRecordWriter = (record: { eventId: string; type: string; receivedAt: number; ttl: number }) => Promise<void>;

export interface StripeEventStoreUnderTest {
  subject: StripeEventStore;
  /** Writes behind the port, as the adapter's storage holds it: nothing on the port writes `enqueued` any more. */
  writeEnqueuedRecord: EnqueuedRecordWriter;
  teardown: () => Promise<void>;
}

/** The behaviour every StripeEventStore must have; run against each adapter. */
export function stripeEventStoreContract(name: string, setup: () => Promise<StripeEventStoreUnderTest>) {
  describe(`StripeEventStore contract: ${name}`, () => {
    let store: StripeEventStore;
    let writeEnqueuedRecord: EnqueuedRecordWriter;
    let teardown: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      const started = await setup();
      store = started.subject;
      writeEnqueuedRecord = started.writeEnqueuedRecord;
      teardown = started.teardown;
    }, 60_000);
    afterAll(async () => teardown?.());
    const now = Date.parse('2026-01-01T00:00:00Z');
    const day = 24 * 3600;
    const record = (eventId: string, overrides: Partial<Parameters<StripeEventStore['recordReceipt']>[0]> = {}) =>
      store.recordReceipt({ eventId, type: 'payment_intent.succeeded', nowMs: now, ttlSeconds: 30 * day, leaseMs: 30_000, ...overrides });

    it('records a first delivery as received, to be enqueued, with its time to live', async () => {
      const id = `evt_${randomUUID()}`;
      expect(await store.get(id)).toBeUndefined();
      expect(await record(id)).toEqual({ kind: 'enqueue' });
      expect(await store.get(id)).toEqual({
        eventId: id,
        type: 'payment_intent.succeeded',
        status: 'received',
        receivedAt: now,
        processedAt: undefined,
        ttl: Math.floor(now / 1000) + 30 * day,
      });
    });

    it('holds a received event against other deliveries while its lease runs, and answers duplicate once processed', async () => {
      const id = `evt_${randomUUID()}`;
      await record(id);
      expect(await record(id, { nowMs: now + 1 })).toEqual({ kind: 'in_progress' });
      expect(await record(id, { nowMs: now + 29_999 })).toEqual({ kind: 'in_progress' });
      expect((await store.get(id))?.status).toBe('received');
      await store.markProcessed(id, now + 2_000, 30 * day);
      expect(await record(id, { nowMs: now + 2_001 })).toEqual({ kind: 'duplicate', status: 'processed' });
    });

    it('reads a record an older deploy marked enqueued as a duplicate, long after any lease, until the worker marks it processed', async () => {
      const id = `evt_${randomUUID()}`;
      await writeEnqueuedRecord({ eventId: id, type: 'charge.refunded', receivedAt: now, ttl: Math.floor(now / 1000) + 30 * day });
      expect(await store.get(id)).toEqual({ eventId: id, type: 'charge.refunded', status: 'enqueued', receivedAt: now, processedAt: undefined, ttl: Math.floor(now / 1000) + 30 * day });
      expect(await record(id, { nowMs: now + 1 })).toEqual({ kind: 'duplicate', status: 'enqueued' });
      expect(await record(id, { nowMs: now + 3_600_000 })).toEqual({ kind: 'duplicate', status: 'enqueued' });
      await store.markProcessed(id, now + 5_000, 30 * day);
      expect(await store.get(id)).toMatchObject({ type: 'charge.refunded', status: 'processed', receivedAt: now, processedAt: now + 5_000 });
    });

    it('hands a record still received to the next delivery once the lease has run out (crashed before the send, or sent and not processed in time)', async () => {
      const id = `evt_${randomUUID()}`;
      await record(id);
      expect(await record(id, { nowMs: now + 30_000 })).toEqual({ kind: 'enqueue' });
      expect(await record(id, { nowMs: now + 30_001 })).toEqual({ kind: 'in_progress' });
      expect((await store.get(id))?.receivedAt).toBe(now + 30_000);
    });

    it('lets exactly one of many concurrent deliveries enqueue', async () => {
      const id = `evt_${randomUUID()}`;
      const results = await Promise.all(Array.from({ length: 20 }, () => record(id)));
      expect(results.filter((r) => r.kind === 'enqueue')).toHaveLength(1);
      expect(results.filter((r) => r.kind === 'in_progress')).toHaveLength(19);
    });

    it('lets exactly one of many concurrent deliveries take over a stuck record', async () => {
      const id = `evt_${randomUUID()}`;
      await record(id);
      const results = await Promise.all(Array.from({ length: 10 }, () => record(id, { nowMs: now + 60_000 })));
      expect(results.filter((r) => r.kind === 'enqueue')).toHaveLength(1);
    });

    it.each([
      ['by the upsert', false],
      ['from the record read before the event was applied', true],
    ])('marks a received event processed with its time (%s), after which no delivery takes it over', async (_how, fromRead) => {
      const id = `evt_${randomUUID()}`;
      await record(id);
      await store.markProcessed(id, now + 5_000, 30 * day, fromRead ? { record: await store.get(id) } : undefined);
      expect(await store.get(id)).toEqual({
        eventId: id,
        type: 'payment_intent.succeeded',
        status: 'processed',
        receivedAt: now,
        processedAt: now + 5_000,
        ttl: Math.floor((now + 5_000) / 1000) + 30 * day,
      });
      // Past the lease the receipt wrote: the mark, not the lease, closes the record.
      expect(await record(id, { nowMs: now + 60_000 })).toEqual({ kind: 'duplicate', status: 'processed' });
      expect(await record(id, { nowMs: now + 3_600_000 })).toEqual({ kind: 'duplicate', status: 'processed' });
    });

    it('marks processed an event it never received (fed in by a replay)', async () => {
      const id = `evt_${randomUUID()}`;
      await store.markProcessed(id, now, 30 * day);
      expect(await store.get(id)).toMatchObject({ eventId: id, status: 'processed', processedAt: now });
      expect(await record(id, { nowMs: now + 1 })).toEqual({ kind: 'duplicate', status: 'processed' });
    });

    it('marks processed from a read that found no record (a replay\'s event): no type, received when marked', async () => {
      const id = `evt_${randomUUID()}`;
      await store.markProcessed(id, now + 7_000, 30 * day, { record: await store.get(id) });
      expect(await store.get(id)).toEqual({ eventId: id, type: '', status: 'processed', receivedAt: now + 7_000, processedAt: now + 7_000, ttl: Math.floor((now + 7_000) / 1000) + 30 * day });
    });

    it('marks many events at once, each from its own read, one of them twice', async () => {
      const ids = Array.from({ length: 12 }, () => `evt_${randomUUID()}`);
      await Promise.all(ids.map((id, i) => record(id, { nowMs: now + i, type: `type.${i}` })));
      const reads = await Promise.all(ids.map((id) => store.get(id)));
      await Promise.all([...ids.map((id, i) => store.markProcessed(id, now + 9_000, 30 * day, { record: reads[i] })), store.markProcessed(ids[0]!, now + 9_000, 30 * day, { record: reads[0] })]);
      const after = await Promise.all(ids.map((id) => store.get(id)));
      expect(after).toEqual(ids.map((id, i) => ({ eventId: id, type: `type.${i}`, status: 'processed', receivedAt: now + i, processedAt: now + 9_000, ttl: Math.floor((now + 9_000) / 1000) + 30 * day })));
    });

    it('treats a record past its time to live as new, processed or marked enqueued by an older deploy', async () => {
      const id = `evt_${randomUUID()}`;
      await record(id, { ttlSeconds: 60 });
      await store.markProcessed(id, now, 60);
      expect(await record(id, { nowMs: now + 59_999 })).toEqual({ kind: 'duplicate', status: 'processed' });
      expect(await record(id, { nowMs: now + 60_000 })).toEqual({ kind: 'enqueue' });
      const legacy = `evt_${randomUUID()}`;
      await writeEnqueuedRecord({ eventId: legacy, type: 'payment_intent.succeeded', receivedAt: now, ttl: Math.floor(now / 1000) + 60 });
      expect(await record(legacy, { nowMs: now + 60_000 })).toEqual({ kind: 'enqueue' });
    });
  });
}
