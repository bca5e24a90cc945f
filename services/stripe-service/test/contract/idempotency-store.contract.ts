import { randomUUID } from 'node:crypto';
import type { IdempotencyStore } from '../../src/application/ports/idempotency-store';

/** The behaviour every IdempotencyStore must have; run against each adapter. */
export function idempotencyStoreContract(name: string, setup: () => Promise<{ subject: IdempotencyStore; teardown: () => Promise<void> }>) {
  describe(`IdempotencyStore contract: ${name}`, () => {
    let store: IdempotencyStore;
    let teardown: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      const started = await setup();
      store = started.subject;
      teardown = started.teardown;
    }, 60_000);
    afterAll(async () => teardown?.());
    const now = Date.parse('2026-01-01T00:00:00Z');
    const begin = (key: string, overrides: Partial<Parameters<IdempotencyStore['begin']>[0]> = {}) =>
      store.begin({ key, payloadHash: 'hash-a', operationId: `op-${randomUUID()}`, nowMs: now, inProgressMs: 10_000, ttlSeconds: 3600, ...overrides });

    it('gives a new key to its first request, and holds it against the next while in progress', async () => {
      const key = randomUUID();
      expect(await begin(key, { operationId: 'op-1' })).toEqual({ kind: 'acquired', operationId: 'op-1' });
      expect(await begin(key, { nowMs: now + 9_999 })).toEqual({ kind: 'in_progress' });
      expect(await begin(key, { payloadHash: 'hash-b' })).toEqual({ kind: 'mismatch' });
    });

    it('replays the stored response once completed', async () => {
      const key = randomUUID();
      await begin(key, { operationId: 'op-2' });
      await store.complete(key, 'op-2', { outcome: 'success', status: 201, body: { id: 'pay_1', nested: { amount: 5 } } });
      expect(await begin(key, { nowMs: now + 20_000 })).toEqual({ kind: 'completed', response: { outcome: 'success', status: 201, body: { id: 'pay_1', nested: { amount: 5 } } } });
      expect(await begin(key, { payloadHash: 'hash-b' })).toEqual({ kind: 'mismatch' });
    });

    it('lets a later request take over an expired in-progress key with the same operation id', async () => {
      const key = randomUUID();
      await begin(key, { operationId: 'op-first' });
      expect(await begin(key, { nowMs: now + 10_001, operationId: 'op-second' })).toEqual({ kind: 'acquired', operationId: 'op-first' });
      expect(await begin(key, { nowMs: now + 10_002 })).toEqual({ kind: 'in_progress' });
    });

    it('holds an in-progress key to the last millisecond of its lease, and frees it at the lease\'s end', async () => {
      const key = randomUUID();
      await begin(key, { operationId: 'op-held' });
      expect(await begin(key, { nowMs: now + 9_999 })).toEqual({ kind: 'in_progress' });
      expect(await begin(key, { nowMs: now + 10_000, operationId: 'op-next' })).toEqual({ kind: 'acquired', operationId: 'op-held' });
    });

    it('lets exactly one of many concurrent takeovers win', async () => {
      const key = randomUUID();
      await begin(key, { operationId: 'op-crashed' });
      const results = await Promise.all(Array.from({ length: 10 }, () => begin(key, { nowMs: now + 60_000 })));
      expect(results.filter((r) => r.kind === 'acquired')).toEqual([{ kind: 'acquired', operationId: 'op-crashed' }]);
    });

    it('releases a key for an immediate retry that keeps the operation id', async () => {
      const key = randomUUID();
      await begin(key, { operationId: 'op-failed' });
      await store.release(key, 'op-failed');
      expect(await begin(key, { nowMs: now + 1 })).toEqual({ kind: 'acquired', operationId: 'op-failed' });
    });

    it('treats a key past its time to live as new', async () => {
      const key = randomUUID();
      await begin(key, { operationId: 'op-old' });
      await store.complete(key, 'op-old', { outcome: 'failure', error: { kind: 'conflict', code: 'x', message: 'm', details: undefined } });
      expect(await begin(key, { nowMs: now + 3_601_000, payloadHash: 'hash-b', operationId: 'op-new' })).toEqual({ kind: 'acquired', operationId: 'op-new' });
    });

    it('keeps a completed key to the last millisecond of its time to live, and treats it as new from that second on', async () => {
      const key = randomUUID();
      await begin(key, { operationId: 'op-kept' });
      await store.complete(key, 'op-kept', { outcome: 'success', status: 201, body: { id: 'pay_2' } });
      expect(await begin(key, { nowMs: now + 3_599_999, payloadHash: 'hash-b' })).toEqual({ kind: 'mismatch' });
      expect(await begin(key, { nowMs: now + 3_600_000, payloadHash: 'hash-b', operationId: 'op-fresh' })).toEqual({ kind: 'acquired', operationId: 'op-fresh' });
    });
  });
}
