import { jest } from '@jest/globals';
import Stripe from 'stripe';
import { Clock } from '../clock';
import { EventBus } from '../events';
import { Store } from '../store';
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

  it('calls subscribers for every emitted event', () => {
    const bus = new EventBus(new Store(), new Clock(() => Date.UTC(2030, 0, 1)));
    const first: string[] = [];
    const second: string[] = [];
    const stopFirst = bus.subscribe((event) => first.push(`${event.type} ${event.id}`));
    // One failing subscriber must not keep the event from the others.
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    bus.subscribe(() => {
      throw new Error('a broken subscriber');
    });
    bus.subscribe((event) => second.push(`${event.type} ${event.id}`));
    try {
      const created = bus.emit('customer.created', { id: 'cus_sub', object: 'customer' });
      const updated = bus.emit('customer.updated', { id: 'cus_sub', object: 'customer', name: 'Sue' }, { name: null });
      expect(first).toEqual([`customer.created ${created.id}`, `customer.updated ${updated.id}`]);
      expect(second).toEqual(first);
      expect(quiet).toHaveBeenCalledTimes(2);

      stopFirst();
      const deleted = bus.emit('customer.deleted', { id: 'cus_sub', object: 'customer' });
      expect(first).toHaveLength(2);
      expect(second).toEqual([...first, `customer.deleted ${deleted.id}`]);
    } finally {
      quiet.mockRestore();
    }
  });
});
