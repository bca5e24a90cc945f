// The sync composed as the catalog module composes it: the Stripe catalog adapter on the in-process
// Stripe simulator, the catalog tables in memory.
import { randomUUID } from 'node:crypto';
import { priceItem, productItem, type SamplePrice, type SampleProduct } from '../../../../../scripts/lib/sample-catalog';
import { startStripeSimulator, type StripeSimulator } from '../../../../../scripts/stripe-simulator/index';
import { PriceNotFoundError, PriceNotPurchasableError } from '../../../src/application/catalog/catalog-errors';
import { SyncProductPrice } from '../../../src/application/catalog/sync-product-price';
import type { CatalogGateway } from '../../../src/application/ports/catalog-gateway';
import { stripeIdempotencyKey } from '../../../src/application/shared/idempotency-keys';
import { stripeGateways } from '../../contract/stripe-gateways';
import { InMemoryCatalogRepository } from '../../fakes/in-memory-catalog-repository';
import { RecordingClock } from '../../support/manual-clock';

const API_KEY = 'sk_test_catalog_unit';

/** The manual clock, noting each wait and letting a test act once a given number of waits is over. */
type Call = { [K in keyof CatalogGateway]: { method: K; args: Parameters<CatalogGateway[K]> } }[keyof CatalogGateway];

/** The Stripe catalog adapter, noting each call and its arguments. */
function recorded(gateway: CatalogGateway) {
  const calls: Call[] = [];
  // Each call's arguments are objects made for it, kept as they were given.
  const note = <K extends keyof CatalogGateway>(method: K, args: Parameters<CatalogGateway[K]>) => calls.push({ method, args } as Call);
  const wrapped: CatalogGateway = {
    retrieveProduct: async (...args) => (note('retrieveProduct', args), gateway.retrieveProduct(...args)),
    createProduct: async (...args) => (note('createProduct', args), gateway.createProduct(...args)),
    updateProduct: async (...args) => (note('updateProduct', args), gateway.updateProduct(...args)),
    findPriceByLookupKey: async (...args) => (note('findPriceByLookupKey', args), gateway.findPriceByLookupKey(...args)),
    createPrice: async (...args) => (note('createPrice', args), gateway.createPrice(...args)),
    archivePrice: async (...args) => (note('archivePrice', args), gateway.archivePrice(...args)),
  };
  return { gateway: wrapped, calls, methods: () => calls.map((c) => c.method) };
}

let simulator: StripeSimulator;

beforeAll(async () => {
  simulator = await startStripeSimulator({ port: 0, apiKey: API_KEY });
});

afterAll(async () => simulator?.stop());

beforeEach(() => simulator.faults.clear());

function setup() {
  const clock = new RecordingClock();
  const catalog = new InMemoryCatalogRepository();
  const stripe = stripeGateways(API_KEY, simulator.url).catalog;
  const gateway = recorded(stripe);
  const sync = new SyncProductPrice(catalog, gateway.gateway, clock);
  const suffix = randomUUID().slice(0, 8);
  const productId = `book-${suffix}`;
  const product = (overrides: Partial<SampleProduct> = {}) => catalog.put('products', productItem({ productId, name: 'The Book', description: 'A book', active: true, ...overrides }));
  const price = (overrides: Partial<SamplePrice> = {}) =>
    catalog.put('prices', priceItem({ priceId: `${productId}-usd`, productId, unitAmount: 1900, currency: 'usd', type: 'one_time', active: true, ...overrides }));
  return { clock, catalog, stripe, gateway, sync, productId, priceId: `${productId}-usd`, stripeProductId: `prod_local_${productId}`, product, price };
}

describe('SyncProductPrice', () => {
  it('creates the missing product and price in Stripe, under keys made of their ids and terms, and writes their ids back', async () => {
    const h = setup();
    h.product();
    h.price();
    const synced = await h.sync.execute(h.priceId);
    expect(synced).toEqual({
      price: { priceId: h.priceId, productId: h.productId, unitAmount: 1900, currency: 'usd', recurring: undefined, active: true, stripePriceId: undefined },
      stripePriceId: expect.stringMatching(/^price_/),
      stripeProductId: h.stripeProductId,
      product: 'created',
      priceOutcome: 'created',
    });
    const lookupKey = `local:${h.priceId}`;
    expect(h.gateway.calls).toStrictEqual([
      { method: 'retrieveProduct', args: [h.stripeProductId] },
      {
        method: 'createProduct',
        args: [{ id: h.stripeProductId, name: 'The Book', description: 'A book', active: true, metadata: { localProductId: h.productId }, idempotencyKey: stripeIdempotencyKey('product-create', h.stripeProductId) }],
      },
      { method: 'findPriceByLookupKey', args: [lookupKey] },
      {
        method: 'createPrice',
        args: [
          {
            lookupKey,
            productId: h.stripeProductId,
            unitAmount: 1900,
            currency: 'usd',
            recurring: undefined,
            metadata: { localPriceId: h.priceId },
            idempotencyKey: stripeIdempotencyKey('price-create', lookupKey, h.stripeProductId, '1900', 'usd', 'once', 'none'),
          },
        ],
      },
    ]);
    expect(h.catalog.writes).toEqual([
      { table: 'products', id: h.productId, stripeId: h.stripeProductId },
      { table: 'prices', id: h.priceId, stripeId: synced.stripePriceId },
    ]);
    expect(await h.stripe.retrieveProduct(h.stripeProductId)).toEqual({ id: h.stripeProductId, name: 'The Book', description: 'A book', active: true, metadata: { localProductId: h.productId } });
    expect(await h.stripe.findPriceByLookupKey(lookupKey)).toEqual({ id: synced.stripePriceId, productId: h.stripeProductId, unitAmount: 1900, currency: 'usd', recurring: undefined, lookupKey, active: true });
    expect(h.clock.sleeps).toEqual([]);
  });

  it('puts the interval in a recurring price\'s key, and sends no description a product lacks', async () => {
    const h = setup();
    h.product({ description: undefined });
    h.price({ type: 'recurring', interval: 'month', intervalCount: 3 });
    await h.sync.execute(h.priceId);
    const lookupKey = `local:${h.priceId}`;
    const [, createProduct, , createPrice] = h.gateway.calls;
    expect(createProduct).toStrictEqual({
      method: 'createProduct',
      args: [{ id: h.stripeProductId, name: 'The Book', active: true, metadata: { localProductId: h.productId }, idempotencyKey: stripeIdempotencyKey('product-create', h.stripeProductId) }],
    });
    expect(createPrice?.args[0]).toMatchObject({ recurring: { interval: 'month', intervalCount: 3 }, idempotencyKey: stripeIdempotencyKey('price-create', lookupKey, h.stripeProductId, '1900', 'usd', 'month/3', 'none') });
    expect(await h.stripe.findPriceByLookupKey(lookupKey)).toMatchObject({ recurring: { interval: 'month', intervalCount: 3 } });
  });

  it('changes nothing, in Stripe or in the tables, for a price already in Stripe as it is', async () => {
    const h = setup();
    h.product();
    h.price();
    const first = await h.sync.execute(h.priceId);
    h.gateway.calls.length = 0;
    const writes = h.catalog.writes.length;
    const again = await h.sync.execute(h.priceId);
    expect(again).toEqual({ ...first, price: { ...first.price, stripePriceId: first.stripePriceId }, product: 'unchanged', priceOutcome: 'unchanged' });
    expect(h.gateway.methods()).toEqual(['retrieveProduct', 'findPriceByLookupKey']);
    expect(h.catalog.writes).toHaveLength(writes);
  });

  it.each([
    ['name', { name: 'The Book, second edition' }],
    ['description', { description: 'A longer book' }],
    ['active state', { active: false }],
  ] as const)('updates the Stripe product when its %s changed, keeping its price', async (_what, change) => {
    const h = setup();
    h.product();
    h.price();
    const first = await h.sync.execute(h.priceId);
    h.product(change);
    h.gateway.calls.length = 0;
    const synced = await h.sync.execute(h.priceId, { requirePurchasable: false });
    expect(synced).toMatchObject({ stripeProductId: h.stripeProductId, stripePriceId: first.stripePriceId, product: 'updated', priceOutcome: 'unchanged' });
    const fields = { name: 'The Book', description: 'A book', active: true, ...change, metadata: { localProductId: h.productId } };
    expect(h.gateway.calls).toStrictEqual([
      { method: 'retrieveProduct', args: [h.stripeProductId] },
      { method: 'updateProduct', args: [h.stripeProductId, fields] },
      { method: 'findPriceByLookupKey', args: [`local:${h.priceId}`] },
    ]);
    expect(await h.stripe.retrieveProduct(h.stripeProductId)).toEqual({ id: h.stripeProductId, ...fields });
  });

  it('makes a new price for changed terms, which takes the lookup key over, and archives the old one', async () => {
    const h = setup();
    h.product();
    h.price();
    const first = await h.sync.execute(h.priceId);
    h.price({ unitAmount: 2500 });
    h.catalog.writes.length = 0;
    h.gateway.calls.length = 0;
    const synced = await h.sync.execute(h.priceId);
    expect(synced).toMatchObject({ product: 'unchanged', priceOutcome: 'updated', stripeProductId: h.stripeProductId });
    expect(synced.stripePriceId).not.toBe(first.stripePriceId);
    const lookupKey = `local:${h.priceId}`;
    expect(h.gateway.methods()).toEqual(['retrieveProduct', 'findPriceByLookupKey', 'createPrice', 'archivePrice']);
    expect(h.gateway.calls[2]?.args[0]).toMatchObject({ unitAmount: 2500, idempotencyKey: stripeIdempotencyKey('price-create', lookupKey, h.stripeProductId, '2500', 'usd', 'once', first.stripePriceId) });
    expect(h.gateway.calls[3]).toEqual({ method: 'archivePrice', args: [first.stripePriceId] });
    expect(h.catalog.writes).toEqual([{ table: 'prices', id: h.priceId, stripeId: synced.stripePriceId }]);
    expect(await h.stripe.findPriceByLookupKey(lookupKey)).toMatchObject({ id: synced.stripePriceId, unitAmount: 2500, active: true });
    expect((await h.catalog.getPrice(h.priceId))?.stripePriceId).toBe(synced.stripePriceId);
  });

  it('terms changed back make a new price again, never the archived first one replayed', async () => {
    const h = setup();
    h.product();
    h.price();
    const first = await h.sync.execute(h.priceId);
    h.price({ unitAmount: 2500 });
    const second = await h.sync.execute(h.priceId);
    h.price({ unitAmount: 1900 });
    const third = await h.sync.execute(h.priceId);
    expect(third).toMatchObject({ priceOutcome: 'updated' });
    expect(new Set([first.stripePriceId, second.stripePriceId, third.stripePriceId]).size).toBe(3);
    expect(await h.stripe.findPriceByLookupKey(`local:${h.priceId}`)).toMatchObject({ id: third.stripePriceId, unitAmount: 1900, active: true });
    expect((await h.catalog.getPrice(h.priceId))?.stripePriceId).toBe(third.stripePriceId);
  });

  it('finds the price by its lookup key, whatever id the table holds', async () => {
    const h = setup();
    h.product();
    h.price();
    const first = await h.sync.execute(h.priceId);
    await h.catalog.setStripePriceId(h.priceId, 'price_from_elsewhere');
    h.catalog.writes.length = 0;
    const synced = await h.sync.execute(h.priceId);
    expect(synced).toMatchObject({ stripePriceId: first.stripePriceId, priceOutcome: 'unchanged' });
    expect(h.catalog.writes).toEqual([{ table: 'prices', id: h.priceId, stripeId: first.stripePriceId }]);
  });

  describe('what cannot be sold', () => {
    it('refuses a price that does not exist', async () => {
      const h = setup();
      const error = await h.sync.execute('no-such-price').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PriceNotFoundError);
      expect(error).toMatchObject({ name: 'PriceNotFoundError', kind: 'not_found', code: 'price_not_found', message: 'No such price.' });
      expect(h.gateway.calls).toEqual([]);
    });

    it.each([
      ['an inactive price', { price: { active: false } }, 'it is inactive'],
      ['a price of an inactive product', { product: { active: false } }, 'its product is missing or inactive'],
      ['a price of a missing product', { missing: true }, 'its product is missing or inactive'],
    ] as const)('refuses to sell %s, calling Stripe for nothing', async (_what, shape, reason) => {
      const h = setup();
      if (!('missing' in shape)) h.product('product' in shape ? shape.product : {});
      h.price('price' in shape ? shape.price : {});
      const error = await h.sync.execute(h.priceId).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PriceNotPurchasableError);
      expect(error).toMatchObject({ name: 'PriceNotPurchasableError', kind: 'conflict', code: 'price_not_purchasable', message: `The price cannot be purchased: ${reason}.` });
      expect(h.gateway.calls).toEqual([]);
      expect(h.catalog.writes).toEqual([]);
    });

    it('syncs inactive prices and products when not asked to sell them', async () => {
      const h = setup();
      h.product({ active: false });
      h.price({ active: false });
      const synced = await h.sync.execute(h.priceId, { requirePurchasable: false });
      expect(synced).toMatchObject({ product: 'created', priceOutcome: 'created', price: { active: false } });
      expect(await h.stripe.retrieveProduct(h.stripeProductId)).toMatchObject({ active: false });
    });

    it('refuses, even when not selling, a price whose product is missing', async () => {
      const h = setup();
      h.price();
      const error = await h.sync.execute(h.priceId, { requirePurchasable: false }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PriceNotPurchasableError);
      expect(error).toMatchObject({ code: 'price_not_purchasable', message: 'The price cannot be purchased: its product is missing.' });
      expect(h.gateway.calls).toEqual([]);
    });
  });

  describe('another sync of the same product', () => {
    it('takes over a product another sync made under a key Stripe no longer holds', async () => {
      const h = setup();
      h.product();
      h.price();
      let release: () => void = () => undefined;
      simulator.faults.inject({ kind: 'slow', method: 'POST', path: '/v1/products', count: 1, until: new Promise<void>((resolve) => (release = resolve)) });
      const syncing = h.sync.execute(h.priceId);
      await until(() => h.gateway.methods().includes('createProduct') && simulator.faults.list().length === 0);
      // Made meanwhile, by a sync whose creation key has expired: same id, another key.
      await h.stripe.createProduct({ id: h.stripeProductId, name: 'The Book', description: 'A book', active: true, metadata: { localProductId: h.productId }, idempotencyKey: `expired-${randomUUID()}` });
      release();
      const synced = await syncing;
      expect(synced).toMatchObject({ stripeProductId: h.stripeProductId, product: 'unchanged', priceOutcome: 'created' });
      expect(h.gateway.methods()).toEqual(['retrieveProduct', 'createProduct', 'retrieveProduct', 'findPriceByLookupKey', 'createPrice']);
      expect(h.catalog.writes[0]).toEqual({ table: 'products', id: h.productId, stripeId: h.stripeProductId });
    });

    it('waits for a sync holding the same creation key (50 ms more each time), then uses what it made', async () => {
      const h = setup();
      h.product();
      h.price();
      let release: () => void = () => undefined;
      simulator.faults.inject({ kind: 'slow', method: 'POST', path: '/v1/products', count: 1, until: new Promise<void>((resolve) => (release = resolve)) });
      const other = setup();
      const first = new SyncProductPrice(h.catalog, other.gateway.gateway, other.clock).execute(h.priceId);
      await until(() => simulator.faults.list().length === 0);
      h.clock.afterSleep = async (count) => {
        if (count === 3) {
          release();
          await first;
        }
      };
      const synced = await h.sync.execute(h.priceId);
      expect(h.clock.sleeps).toEqual([50, 100, 150]);
      expect(h.gateway.methods().filter((m) => m === 'createProduct')).toHaveLength(4);
      expect(synced).toMatchObject({ stripeProductId: h.stripeProductId, stripePriceId: (await first).stripePriceId, product: 'created' });
    });

    it('gives up after 8 attempts in all', async () => {
      const h = setup();
      h.product();
      h.price();
      let release: () => void = () => undefined;
      simulator.faults.inject({ kind: 'slow', method: 'POST', path: '/v1/products', count: 1, until: new Promise<void>((resolve) => (release = resolve)) });
      const other = setup();
      const first = new SyncProductPrice(h.catalog, other.gateway.gateway, other.clock).execute(h.priceId);
      await until(() => simulator.faults.list().length === 0);
      const error = await h.sync.execute(h.priceId).catch((e: unknown) => e);
      release();
      await first;
      expect(error).toMatchObject({ kind: 'conflict', code: 'payment_provider_idempotency_conflict' });
      expect(h.clock.sleeps).toEqual([50, 100, 150, 200, 250, 300, 350]);
      expect(h.gateway.methods().filter((m) => m === 'createProduct')).toHaveLength(8);
    });

    it('does not retry another failure to create', async () => {
      const h = setup();
      h.product();
      h.price();
      simulator.faults.inject({ kind: 'server_error', method: 'POST', path: '/v1/products', count: 1 });
      await expect(h.sync.execute(h.priceId)).rejects.toMatchObject({ kind: 'unavailable' });
      expect(h.gateway.methods()).toEqual(['retrieveProduct', 'createProduct']);
      expect(h.clock.sleeps).toEqual([]);
      expect(h.catalog.writes).toEqual([]);
    });
  });
});

/** Waits, yielding to I/O, until the condition holds. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1_000 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  if (!condition()) throw new Error('the condition never held');
}
