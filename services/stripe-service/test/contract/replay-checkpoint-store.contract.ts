import type { ReplayCheckpoint, ReplayCheckpointStore } from '../../src/application/ports/replay-checkpoint-store';

const checkpoint = (cursor: string): ReplayCheckpoint => ({
  since: 1_790_000_000,
  types: ['charge.refunded', 'payment_intent.succeeded'],
  cursor,
  counts: { pages: 3, seen: 300, enqueued: 12, processed: 280, pending: 8, concurrent: 0, wouldEnqueue: 0 },
  updatedAt: 1_790_000_123_456,
});

/** What every ReplayCheckpointStore must do. */
export function replayCheckpointStoreContract(name: string, setup: () => Promise<{ subject: () => ReplayCheckpointStore; teardown: () => Promise<void> }>) {
  describe(`ReplayCheckpointStore contract: ${name}`, () => {
    let started: Awaited<ReturnType<typeof setup>>;
    beforeEach(async () => {
      started = await setup();
    });
    afterEach(async () => started.teardown());

    it('has nothing before the first save', async () => {
      expect(await started.subject().load()).toBeUndefined();
    });

    it('gives back the last checkpoint saved, whole', async () => {
      const store = started.subject();
      await store.save(checkpoint('evt_1'));
      await store.save(checkpoint('evt_2'));
      expect(await store.load()).toEqual(checkpoint('evt_2'));
    });

    it('forgets it once cleared, and clearing twice is fine', async () => {
      const store = started.subject();
      await store.save(checkpoint('evt_3'));
      await store.clear();
      await store.clear();
      expect(await store.load()).toBeUndefined();
    });
  });
}
