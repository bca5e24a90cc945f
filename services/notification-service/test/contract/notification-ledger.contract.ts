import { randomUUID } from 'node:crypto';
import type { NotificationLedger } from '../../src/application/ports/notification-ledger';

/** The behaviour every NotificationLedger must have; run against each adapter. */
export function notificationLedgerContract(name: string, setup: () => Promise<{ subject: NotificationLedger; teardown: () => Promise<void> }>) {
  describe(`NotificationLedger contract: ${name}`, () => {
    let ledger: NotificationLedger;
    let teardown: () => Promise<void>;

    beforeAll(async () => {
      ({ subject: ledger, teardown } = await setup());
    }, 30_000);
    afterAll(async () => teardown());

    const eventId = () => `bevt_evt_${randomUUID()}`;
    const T0 = 1_800_000_000_000;
    const LEASE = 60_000;

    it('lets the first delivery claim an event and holds others off while the lease runs', async () => {
      const id = eventId();
      expect(await ledger.claim(id, T0, LEASE, 'a')).toEqual({ outcome: 'claimed', token: 'a' });
      expect(await ledger.claim(id, T0 + 1_000, LEASE, 'b')).toEqual({ outcome: 'in_progress', leaseExpiresAt: T0 + LEASE });
    });

    it('answers sent for an event marked sent, however late the redelivery', async () => {
      const id = eventId();
      await ledger.claim(id, T0, LEASE, 'a');
      await ledger.markSent(id, 'a', { messageId: 'm-1', template: 'receipt', now: T0 + 10 });
      expect(await ledger.claim(id, T0 + 1_000, LEASE, 'b')).toEqual({ outcome: 'sent' });
      expect(await ledger.claim(id, T0 + 10 * LEASE, LEASE, 'c')).toEqual({ outcome: 'sent' });
    });

    it('answers rejected for an event the provider refused', async () => {
      const id = eventId();
      await ledger.claim(id, T0, LEASE, 'a');
      await ledger.markRejected(id, 'a', { reason: 'invalid_address', now: T0 + 10 });
      expect(await ledger.claim(id, T0 + 10 * LEASE, LEASE, 'b')).toEqual({ outcome: 'rejected' });
    });

    it('frees a released claim at once, but only for the holder of its token', async () => {
      const id = eventId();
      await ledger.claim(id, T0, LEASE, 'a');
      await ledger.release(id, 'someone-else');
      expect((await ledger.claim(id, T0 + 1, LEASE, 'b')).outcome).toBe('in_progress');
      await ledger.release(id, 'a');
      expect(await ledger.claim(id, T0 + 2, LEASE, 'b')).toEqual({ outcome: 'claimed', token: 'b' });
    });

    it('lets a redelivery take over a claim whose lease ran out (the holder died between send and mark)', async () => {
      const id = eventId();
      await ledger.claim(id, T0, LEASE, 'a');
      expect(await ledger.claim(id, T0 + LEASE + 1, LEASE, 'b')).toEqual({ outcome: 'claimed', token: 'b' });
      // The first holder coming back late records nothing over the new claim.
      await ledger.markSent(id, 'a', { messageId: 'late', template: 'receipt', now: T0 + LEASE + 2 });
      expect((await ledger.claim(id, T0 + LEASE + 3, LEASE, 'c')).outcome).toBe('in_progress');
      await ledger.markSent(id, 'b', { messageId: 'm-2', template: 'receipt', now: T0 + LEASE + 4 });
      expect(await ledger.claim(id, T0 + LEASE + 5, LEASE, 'c')).toEqual({ outcome: 'sent' });
    });

    it('lets exactly one of many concurrent deliveries claim an event', async () => {
      const id = eventId();
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => ledger.claim(id, T0, LEASE, `t${i}`)));
      const outcomes = results.reduce<Record<string, number>>((counts, r) => ({ ...counts, [r.outcome]: (counts[r.outcome] ?? 0) + 1 }), {});
      expect(outcomes).toEqual({ claimed: 1, in_progress: 19 });
    });

    it('keeps events apart', async () => {
      const [first, second] = [eventId(), eventId()];
      await ledger.claim(first, T0, LEASE, 'a');
      await ledger.markSent(first, 'a', { messageId: 'm', template: 'receipt', now: T0 });
      expect(await ledger.claim(second, T0, LEASE, 'b')).toEqual({ outcome: 'claimed', token: 'b' });
    });
  });
}
