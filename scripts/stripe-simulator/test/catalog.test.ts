import Stripe from 'stripe';
import { startHarness, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.sim.stop();
});

describe('products', () => {
  it('creates with a caller-chosen id, refuses a duplicate, updates, archives and lists', async () => {
    const id = `prod_plan_${Date.now()}`;
    const product = await h.stripe.products.create({ id, name: 'Pro plan', metadata: { tier: 'pro' } });
    expect(product).toMatchObject({ id, object: 'product', name: 'Pro plan', active: true, default_price: null, metadata: { tier: 'pro' } });
    await expect(h.stripe.products.create({ id, name: 'Again' })).rejects.toMatchObject({ code: 'resource_already_exists', param: 'id' });
    await expect(h.stripe.products.create({} as Stripe.ProductCreateParams)).rejects.toMatchObject({ code: 'parameter_missing', param: 'name' });

    const renamed = await h.stripe.products.update(id, { name: 'Pro' });
    expect(renamed.name).toBe('Pro');
    const archived = await h.stripe.products.update(id, { active: false });
    expect(archived.active).toBe(false);
    const inactive = await h.stripe.products.list({ active: false, limit: 100 });
    expect(inactive.data.map((p) => p.id)).toContain(id);
    const active = await h.stripe.products.list({ active: true, limit: 100 });
    expect(active.data.map((p) => p.id)).not.toContain(id);
    expect((await h.stripe.products.retrieve(id)).active).toBe(false);

    const events = await h.stripe.events.list({ types: ['product.created', 'product.updated'], limit: 100 });
    const mine = events.data.filter((e) => (e.data.object as { id: string }).id === id);
    expect(mine.map((e) => e.type)).toEqual(['product.updated', 'product.updated', 'product.created']);
    expect(mine[0]!.data.previous_attributes).toMatchObject({ active: true });
  });

  it('keeps paging when the cursor object left the filter between two pages', async () => {
    const other = await startHarness();
    try {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await other.stripe.products.create({ name: `p${i}` })).id);
      const page1 = await other.stripe.products.list({ active: true, limit: 2 });
      expect(page1.data.map((p) => p.id)).toEqual([ids[4], ids[3]]);
      await other.stripe.products.update(ids[3]!, { active: false });
      const page2 = await other.stripe.products.list({ active: true, limit: 2, starting_after: ids[3] });
      expect(page2.data.map((p) => p.id)).toEqual([ids[2], ids[1]]);
      const back = await other.stripe.products.list({ active: true, limit: 5, ending_before: ids[3] });
      expect(back.data.map((p) => p.id)).toEqual([ids[4]]);
      await expect(other.stripe.products.list({ starting_after: 'prod_unknown' })).rejects.toMatchObject({ param: 'starting_after' });
    } finally {
      await other.sim.stop();
    }
  });

  it('keeps hostile caller-chosen ids as ordinary ids', async () => {
    const product = await h.stripe.products.create({ id: '__proto__', name: 'Odd id' });
    expect(product.id).toBe('__proto__');
    expect((await h.stripe.products.retrieve('__proto__')).name).toBe('Odd id');
    await expect(h.stripe.products.retrieve('constructor')).rejects.toMatchObject({ code: 'resource_missing' });
    expect(({} as Record<string, unknown>)['name']).toBeUndefined();
  });

  it('creates a default price inline and refuses to delete a product with prices', async () => {
    const product = await h.stripe.products.create({ name: 'Bundle', default_price_data: { currency: 'eur', unit_amount: 1500 } });
    expect(product.default_price).toMatch(/^price_/);
    const price = await h.stripe.prices.retrieve(product.default_price as string);
    expect(price).toMatchObject({ product: product.id, currency: 'eur', unit_amount: 1500, type: 'one_time' });
    await expect(h.stripe.products.del(product.id)).rejects.toMatchObject({ type: 'StripeInvalidRequestError' });
    const lonely = await h.stripe.products.create({ name: 'Lonely' });
    expect(await h.stripe.products.del(lonely.id)).toMatchObject({ id: lonely.id, deleted: true });
    await expect(h.stripe.products.retrieve(lonely.id)).rejects.toMatchObject({ code: 'resource_missing' });
  });
});

describe('prices', () => {
  it('creates one-time and recurring prices, expands the product', async () => {
    const product = await h.stripe.products.create({ name: 'Seats' });
    const oneTime = await h.stripe.prices.create({ product: product.id, currency: 'USD', unit_amount: 999 });
    expect(oneTime).toMatchObject({ object: 'price', currency: 'usd', unit_amount: 999, type: 'one_time', recurring: null, active: true });
    expect(String(oneTime.unit_amount_decimal)).toBe('999');
    const monthly = await h.stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 2000, recurring: { interval: 'month' } });
    expect(monthly).toMatchObject({ type: 'recurring', recurring: { interval: 'month', interval_count: 1, usage_type: 'licensed' } });
    const expanded = await h.stripe.prices.retrieve(monthly.id, { expand: ['product'] });
    expect((expanded.product as Stripe.Product).name).toBe('Seats');
    const recurringOnly = await h.stripe.prices.list({ product: product.id, type: 'recurring' });
    expect(recurringOnly.data.map((p) => p.id)).toEqual([monthly.id]);
    const inline = await h.stripe.prices.create({ currency: 'jpy', unit_amount: 500, product_data: { name: 'Inline' } });
    expect(inline.product).toMatch(/^prod_/);
  });

  it('validates amounts, currency and product', async () => {
    const product = await h.stripe.products.create({ name: 'Validation' });
    await expect(h.stripe.prices.create({ product: product.id, currency: 'xyz', unit_amount: 100 })).rejects.toMatchObject({ param: 'currency' });
    await expect(h.stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 100_000_000 })).rejects.toMatchObject({ param: 'unit_amount' });
    await expect(h.stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: -1 })).rejects.toMatchObject({ param: 'unit_amount' });
    await expect(h.stripe.prices.create({ product: 'prod_missing', currency: 'usd', unit_amount: 100 })).rejects.toMatchObject({ code: 'resource_missing', param: 'product' });
    await expect(h.stripe.prices.create({ product: product.id, currency: 'usd' })).rejects.toMatchObject({ code: 'parameter_missing' });
    await expect(
      h.stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 100, recurring: { interval: 'month', interval_count: 13 } }),
    ).rejects.toMatchObject({ param: 'recurring[interval_count]' });
  });

  it('moves a lookup key only with transfer_lookup_key and lists by lookup_keys', async () => {
    const product = await h.stripe.products.create({ name: 'Lookup' });
    const key = `standard_${Date.now()}`;
    const v1 = await h.stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 1000, lookup_key: key });
    await expect(h.stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 1200, lookup_key: key })).rejects.toMatchObject({
      param: 'lookup_key',
    });
    const v2 = await h.stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 1200, lookup_key: key, transfer_lookup_key: true });
    expect((await h.stripe.prices.retrieve(v1.id)).lookup_key).toBeNull();
    const byKey = await h.stripe.prices.list({ lookup_keys: [key, 'other_key'] });
    expect(byKey.data.map((p) => p.id)).toEqual([v2.id]);

    const archived = await h.stripe.prices.update(v1.id, { active: false });
    expect(archived.active).toBe(false);
    const activeOnly = await h.stripe.prices.list({ product: product.id, active: true });
    expect(activeOnly.data.map((p) => p.id)).toEqual([v2.id]);

    const moved = await h.stripe.prices.update(v1.id, { lookup_key: key, transfer_lookup_key: true });
    expect(moved.lookup_key).toBe(key);
    expect((await h.stripe.prices.retrieve(v2.id)).lookup_key).toBeNull();
  });

  it('searches prices by lookup key and product', async () => {
    const product = await h.stripe.products.create({ name: 'Searchable' });
    const key = `searchable_${Date.now()}`;
    const price = await h.stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 700, lookup_key: key });
    const found = await h.stripe.prices.search({ query: `lookup_key:'${key}' AND product:'${product.id}'` });
    expect(found.data.map((p) => p.id)).toEqual([price.id]);
  });
});
