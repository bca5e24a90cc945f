import Stripe from 'stripe';
import { startHarness } from './helpers';

describe('events', () => {
  it('records state changes in Stripe event shape, filters by type, and keeps them 30 days', async () => {
    let base = Date.UTC(2030, 0, 1);
    const { sim, stripe } = await startHarness({ now: () => base });
    try {
      const customer = await stripe.customers.create({ email: 'ev@example.com' }, { idempotencyKey: 'ev-key' });
      await stripe.customers.update(customer.id, { name: 'Eve' });
      await stripe.products.create({ name: 'Thing' });

      const all = await stripe.events.list();
      expect(all.data.map((e) => e.type)).toEqual(['product.created', 'customer.updated', 'customer.created']);
      const created = all.data[2]!;
      expect(created).toMatchObject({
        object: 'event',
        livemode: false,
        pending_webhooks: expect.any(Number),
        created: Math.floor(base / 1000),
        request: { idempotency_key: 'ev-key' },
        data: { object: { id: customer.id, object: 'customer', email: 'ev@example.com', name: null } },
      });
      expect(created.id).toMatch(/^evt_/);
      expect(created.api_version).toBe(Stripe.API_VERSION);
      // The event keeps the object as it was then.
      expect((await stripe.events.retrieve(created.id)).data.object).toMatchObject({ name: null });

      expect((await stripe.events.list({ type: 'customer.*' })).data.map((e) => e.type)).toEqual(['customer.updated', 'customer.created']);
      expect((await stripe.events.list({ types: ['product.created', 'customer.created'] })).data).toHaveLength(2);
      expect((await stripe.events.list({ created: { gt: Math.floor(base / 1000) } })).data).toHaveLength(0);

      base += 29 * 24 * 3600 * 1000;
      expect((await stripe.events.list()).data).toHaveLength(3);
      await sim.advanceClock(2 * 24 * 3600);
      expect((await stripe.events.list()).data).toHaveLength(0);
      await expect(stripe.events.retrieve(created.id)).rejects.toMatchObject({ code: 'resource_missing' });
    } finally {
      await sim.stop();
    }
  });

  it('calls subscribers for every emitted event', async () => {
    const { sim, stripe } = await startHarness();
    try {
      const before = sim.events().length;
      await stripe.customers.create({ email: 'sub@example.com' });
      const after = sim.events();
      expect(after.length).toBe(before + 1);
      expect(after[0]!.type).toBe('customer.created');
    } finally {
      await sim.stop();
    }
  });
});
