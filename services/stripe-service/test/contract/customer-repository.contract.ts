import { randomUUID } from 'node:crypto';
import type { CustomerRecord } from '../../src/domain/customer';
import type { CustomerRepository } from '../../src/application/ports/customer-repository';

/** The behaviour every CustomerRepository must have; run against each adapter. */
export function customerRepositoryContract(name: string, setup: () => Promise<{ repository: CustomerRepository; teardown: () => Promise<void> }>) {
  describe(`CustomerRepository contract: ${name}`, () => {
    let repository: CustomerRepository;
    let teardown: () => Promise<void>;

    beforeAll(async () => {
      ({ repository, teardown } = await setup());
    });
    afterAll(async () => teardown());

    const pending = (userId: string, lease = 1_000): CustomerRecord => ({
      userId,
      email: `${userId}@example.com`,
      role: 'user',
      status: 'creating',
      stripeCustomerId: undefined,
      leaseExpiresAt: lease,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
    const newUser = () => `user-${randomUUID()}`;

    it('returns undefined for an unknown user', async () => {
      expect(await repository.get(newUser())).toBeUndefined();
    });

    it('inserts a record once and refuses a second insert without changing the first', async () => {
      const userId = newUser();
      expect(await repository.insertIfAbsent(pending(userId, 111))).toBe(true);
      expect(await repository.insertIfAbsent({ ...pending(userId, 222), email: 'other@example.com' })).toBe(false);
      expect(await repository.get(userId)).toEqual(pending(userId, 111));
    });

    it('lets exactly one of many concurrent inserts win', async () => {
      const userId = newUser();
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => repository.insertIfAbsent(pending(userId, i + 1))));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('replaces a lease only when it still holds the expected value', async () => {
      const userId = newUser();
      await repository.insertIfAbsent(pending(userId, 500));
      expect(await repository.replaceLease(userId, 499, 900, '2026-01-01T00:00:01.000Z')).toBe(false);
      expect(await repository.replaceLease(userId, 500, 900, '2026-01-01T00:00:01.000Z')).toBe(true);
      expect(await repository.replaceLease(userId, 500, 901, '2026-01-01T00:00:02.000Z')).toBe(false);
      const stored = await repository.get(userId);
      expect(stored?.leaseExpiresAt).toBe(900);
      expect(stored?.updatedAt).toBe('2026-01-01T00:00:01.000Z');
    });

    it('does not replace the lease of an unknown user', async () => {
      expect(await repository.replaceLease(newUser(), 0, 5, '2026-01-01T00:00:00.000Z')).toBe(false);
    });

    it('completes a record with its Stripe customer and finds it by that id', async () => {
      const userId = newUser();
      await repository.insertIfAbsent(pending(userId));
      const completed = await repository.complete(userId, 'cus_first', `${userId}@example.com`, '2026-01-01T00:00:05.000Z');
      expect(completed).toEqual({
        ...pending(userId),
        status: 'active',
        stripeCustomerId: 'cus_first',
        leaseExpiresAt: undefined,
        updatedAt: '2026-01-01T00:00:05.000Z',
      });
      expect(await repository.get(userId)).toEqual(completed);
      expect(await repository.findByStripeCustomerId('cus_first')).toEqual(completed);
    });

    it('keeps the first Stripe customer when a second completion arrives', async () => {
      const userId = newUser();
      await repository.insertIfAbsent(pending(userId));
      await repository.complete(userId, 'cus_winner', undefined, '2026-01-01T00:00:05.000Z');
      const second = await repository.complete(userId, 'cus_loser', 'loser@example.com', '2026-01-01T00:00:06.000Z');
      expect(second.stripeCustomerId).toBe('cus_winner');
      expect(second.email).toBeUndefined();
      expect((await repository.get(userId))?.stripeCustomerId).toBe('cus_winner');
    });

    it('completes with the email the completing request carries, not the one first stored', async () => {
      const userId = newUser();
      await repository.insertIfAbsent(pending(userId));
      const completed = await repository.complete(userId, 'cus_changed', 'changed@example.com', '2026-01-01T00:00:05.000Z');
      expect(completed.email).toBe('changed@example.com');
      const other = newUser();
      await repository.insertIfAbsent(pending(other));
      expect((await repository.complete(other, 'cus_dropped', undefined, '2026-01-01T00:00:05.000Z')).email).toBeUndefined();
    });

    it('replaces and removes the email of an active customer', async () => {
      const userId = newUser();
      await repository.insertIfAbsent(pending(userId));
      await repository.complete(userId, 'cus_mail', `${userId}@example.com`, '2026-01-01T00:00:05.000Z');
      await repository.updateEmail(userId, 'new@example.com', '2026-01-01T00:00:06.000Z');
      expect(await repository.get(userId)).toMatchObject({ email: 'new@example.com', updatedAt: '2026-01-01T00:00:06.000Z', stripeCustomerId: 'cus_mail' });
      await repository.updateEmail(userId, undefined, '2026-01-01T00:00:07.000Z');
      expect((await repository.get(userId))?.email).toBeUndefined();
      await expect(repository.updateEmail(newUser(), 'x@example.com', '2026-01-01T00:00:07.000Z')).rejects.toThrow();
    });

    it('does not replace the lease of an active record', async () => {
      const userId = newUser();
      await repository.insertIfAbsent(pending(userId, 700));
      await repository.complete(userId, 'cus_active', undefined, '2026-01-01T00:00:05.000Z');
      expect(await repository.replaceLease(userId, 700, 800, '2026-01-01T00:00:06.000Z')).toBe(false);
    });

    it('refuses to complete a user that has no record', async () => {
      await expect(repository.complete(newUser(), 'cus_x', undefined, '2026-01-01T00:00:00.000Z')).rejects.toThrow();
    });

    it('replaces a record only while what Stripe\'s events change is as expected, keeping the event position and the deleted customers', async () => {
      const userId = newUser();
      await repository.insertIfAbsent(pending(userId));
      const active = await repository.complete(userId, 'cus_live', 'a@example.com', '2026-01-01T00:00:05.000Z');
      const updated: CustomerRecord = { ...active, email: 'b@example.com', lastStripeEventCreated: 1_767_225_700, lastStripeEventId: 'evt_1', lastStripeEventFrom: 'f1', updatedAt: '2026-01-01T00:00:06.000Z' };
      expect(await repository.replaceIfUnchanged(updated, active)).toBe(true);
      expect(await repository.get(userId)).toEqual(updated);
      // Each of status, customer, email and last event, changed meanwhile, refuses the write.
      for (const stale of [{ ...updated, status: 'creating' as const }, { ...updated, stripeCustomerId: 'cus_other' }, { ...updated, email: 'a@example.com' }, { ...updated, lastStripeEventId: 'evt_0' }]) {
        expect(await repository.replaceIfUnchanged({ ...updated, email: 'c@example.com' }, stale)).toBe(false);
      }
      expect(await repository.replaceIfUnchanged({ ...updated, email: 'c@example.com' }, { ...updated, email: undefined })).toBe(false);
      expect((await repository.get(userId))?.email).toBe('b@example.com');
      // Detached from a customer deleted in Stripe: no longer found by it, the lease free, the dead id kept.
      const detached: CustomerRecord = { ...updated, status: 'creating', stripeCustomerId: undefined, leaseExpiresAt: 0, deletedStripeCustomerIds: ['cus_live'], lastStripeEventCreated: undefined, lastStripeEventId: undefined, lastStripeEventFrom: undefined };
      expect(await repository.replaceIfUnchanged(detached, updated)).toBe(true);
      expect(await repository.get(userId)).toEqual(detached);
      expect(await repository.findByStripeCustomerId('cus_live')).toBeUndefined();
      expect(await repository.replaceLease(userId, 0, 5_000, '2026-01-01T00:00:07.000Z')).toBe(true);
      const again = await repository.complete(userId, 'cus_next', 'b@example.com', '2026-01-01T00:00:08.000Z');
      expect(again).toMatchObject({ status: 'active', stripeCustomerId: 'cus_next', deletedStripeCustomerIds: ['cus_live'] });
      expect(await repository.replaceIfUnchanged({ ...pending(newUser()) }, pending(newUser()))).toBe(false);
    });

    it('keeps a record without an email as such', async () => {
      const userId = newUser();
      await repository.insertIfAbsent({ ...pending(userId), email: undefined });
      expect((await repository.get(userId))?.email).toBeUndefined();
    });
  });
}
