import { randomUUID } from 'node:crypto';
import type { SubscriptionRepository } from '../../src/application/ports/subscription-repository';
import type { Subscription } from '../../src/domain/subscription';

export function sampleSubscription(userId: string, overrides: Partial<Subscription> = {}): Subscription {
  return {
    userId, subscriptionId: `sub_${randomUUID().replaceAll('-', '')}`, stripeCustomerId: 'cus_x', status: 'active', stripePriceId: 'price_1', priceId: 'local-1',
    quantity: 1, currentPeriodEnd: '2026-02-01T00:00:00.000Z', cancelAtPeriodEnd: false, canceledAt: undefined, endReason: undefined, metadata: { userId },
    stripeUpdatedAt: 1_767_225_600, lastStripeEventId: 'evt_1', createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', version: 1, ...overrides,
  };
}

/** The behaviour every SubscriptionRepository must have; run against each adapter. */
export function subscriptionRepositoryContract(name: string, setup: () => Promise<{ subject: SubscriptionRepository; teardown: () => Promise<void> }>) {
  describe(`SubscriptionRepository contract: ${name}`, () => {
    let repository: SubscriptionRepository;
    let teardown: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      const started = await setup();
      repository = started.subject;
      teardown = started.teardown;
    }, 60_000);
    afterAll(async () => teardown?.());
    const newUser = () => `user-${randomUUID()}`;

    it('creates a subscription once, reads it back by user and id, and only for its user', async () => {
      const subscription = sampleSubscription(newUser(), { canceledAt: undefined, metadata: { a: 'b' }, lastStripeEventFrom: '0123456789abcdef' });
      expect(await repository.get(subscription.userId, subscription.subscriptionId)).toBeUndefined();
      expect(await repository.create(subscription)).toBe(true);
      expect(await repository.get(subscription.userId, subscription.subscriptionId)).toEqual(subscription);
      expect(await repository.create({ ...subscription, status: 'canceled' })).toBe(false);
      expect(await repository.get(subscription.userId, subscription.subscriptionId)).toMatchObject({ status: 'active' });
      expect(await repository.get(newUser(), subscription.subscriptionId)).toBeUndefined();
    });

    it('updates only from the expected version', async () => {
      const subscription = sampleSubscription(newUser());
      await repository.create(subscription);
      expect(await repository.update({ ...subscription, status: 'past_due', version: 2 }, 1)).toBe(true);
      expect(await repository.update({ ...subscription, status: 'canceled', version: 2 }, 1)).toBe(false);
      expect(await repository.get(subscription.userId, subscription.subscriptionId)).toMatchObject({ status: 'past_due', version: 2 });
      expect(await repository.update({ ...sampleSubscription(newUser()), version: 2 }, 1)).toBe(false);
    });

    it('lets one of many concurrent creates and one of many concurrent updates win', async () => {
      const subscription = sampleSubscription(newUser());
      const creates = await Promise.all(Array.from({ length: 8 }, (_, i) => repository.create({ ...subscription, quantity: i })));
      expect(creates.filter(Boolean)).toHaveLength(1);
      const updates = await Promise.all(Array.from({ length: 8 }, (_, i) => repository.update({ ...subscription, quantity: 10 + i, version: 2 }, 1)));
      expect(updates.filter(Boolean)).toHaveLength(1);
    });
  });
}
