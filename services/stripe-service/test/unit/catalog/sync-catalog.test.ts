// The catalog sync composed as the catalog module composes it: the Stripe catalog adapter on the
// in-process Stripe simulator, the catalog tables in memory (two prices a page).
import { randomUUID } from 'node:crypto';
import { priceItem, productItem, type SamplePrice } from '../../../../../scripts/lib/sample-catalog';
import { startStripeSimulator, type StripeSimulator } from '../../../../../scripts/stripe-simulator/index';
import { SyncCatalog, type CatalogSyncSummary } from '../../../src/application/catalog/sync-catalog';
import { SyncProductPrice } from '../../../src/application/catalog/sync-product-price';
import { stripeGateways } from '../../contract/stripe-gateways';
import { InMemoryCatalogRepository } from '../../fakes/in-memory-catalog-repository';
import { ManualClock } from '../../support/manual-clock';

const API_KEY = 'sk_test_catalog_sync_unit';

let simulator: StripeSimulator;

beforeAll(async () => {
  simulator = await startStripeSimulator({ port: 0, apiKey: API_KEY });
});

afterAll(async () => simulator?.stop());

beforeEach(() => simulator.faults.clear());

/** Two products (one with two prices), an inactive price, and a price whose product is missing. */
function setup() {
  const catalog = new InMemoryCatalogRepository({ pageSize: 2 });
  const stripe = stripeGateways(API_KEY, simulator.url).catalog;
  const syncCatalog = new SyncCatalog(catalog, new SyncProductPrice(catalog, stripe, new ManualClock()));
  const run = randomUUID().slice(0, 8);
  const book = `book-${run}`;
  const plan = `plan-${run}`;
  const price = (priceId: string, fields: Omit<SamplePrice, 'priceId' | 'type'> & Partial<Pick<SamplePrice, 'type'>>) => catalog.put('prices', priceItem({ priceId, type: 'one_time', ...fields }));
  catalog.put('products', productItem({ productId: book, name: 'The Book', active: true }));
  catalog.put('products', productItem({ productId: plan, name: 'The Plan', active: true }));
  const ids = { bookUsd: `${book}-usd`, bookEur: `${book}-eur`, planMonthly: `${plan}-monthly`, orphan: `gone-${run}-usd`, planOld: `${plan}-old` };
  price(ids.bookUsd, { productId: book, unitAmount: 1900, currency: 'usd', active: true });
  price(ids.bookEur, { productId: book, unitAmount: 1700, currency: 'eur', active: true });
  price(ids.planMonthly, { productId: plan, unitAmount: 1200, currency: 'usd', type: 'recurring', interval: 'month', intervalCount: 1, active: true });
  price(ids.orphan, { productId: `gone-${run}`, unitAmount: 100, currency: 'usd', active: true });
  price(ids.planOld, { productId: plan, unitAmount: 900, currency: 'usd', type: 'recurring', interval: 'month', intervalCount: 1, active: false });
  return { catalog, stripe, syncCatalog, book, plan, ids, price };
}

const summary = (products: Partial<CatalogSyncSummary['products']>, prices: Partial<CatalogSyncSummary['prices']>, failures: CatalogSyncSummary['failures'] = []): CatalogSyncSummary => ({
  products: { created: 0, updated: 0, unchanged: 0, ...products },
  prices: { created: 0, updated: 0, unchanged: 0, failed: 0, ...prices },
  failures,
});

const orphanFailure = (priceId: string) => ({ priceId, code: 'price_not_purchasable', reason: 'The price cannot be purchased: its product is missing.' });

describe('SyncCatalog', () => {
  it('brings every price and its product into Stripe once, page after page, reporting a price it cannot sync and going on', async () => {
    const h = setup();
    const progress: [number, CatalogSyncSummary][] = [];
    const result = await h.syncCatalog.execute((done, soFar) => progress.push([done, structuredClone(soFar)]));
    expect(result).toEqual(summary({ created: 2 }, { created: 4, failed: 1 }, [orphanFailure(h.ids.orphan)]));
    expect(h.catalog.listed).toEqual([undefined, h.ids.bookEur, h.ids.orphan]);
    expect(progress.map(([done]) => done)).toEqual([1, 2, 3, 4, 5]);
    expect(progress.map(([, s]) => s)).toEqual([
      summary({ created: 1 }, { created: 1 }),
      summary({ created: 1 }, { created: 2 }),
      summary({ created: 2 }, { created: 3 }),
      summary({ created: 2 }, { created: 3, failed: 1 }, [orphanFailure(h.ids.orphan)]),
      summary({ created: 2 }, { created: 4, failed: 1 }, [orphanFailure(h.ids.orphan)]),
    ]);
    // The inactive price is copied too: a subscription on it still renews.
    expect(await h.stripe.findPriceByLookupKey(`local:${h.ids.planOld}`)).toMatchObject({ unitAmount: 900, productId: `prod_local_${h.plan}` });
    expect((await h.catalog.getPrice(h.ids.bookEur))?.stripePriceId).toMatch(/^price_/);
  });

  it('counts what is unchanged and what it updated on a later run', async () => {
    const h = setup();
    await h.syncCatalog.execute();
    expect(await h.syncCatalog.execute()).toEqual(summary({ unchanged: 2 }, { unchanged: 4, failed: 1 }, [orphanFailure(h.ids.orphan)]));

    h.catalog.put('products', productItem({ productId: h.book, name: 'The Book, second edition', active: true }));
    h.price(h.ids.planMonthly, { productId: h.plan, unitAmount: 1500, currency: 'usd', type: 'recurring', interval: 'month', intervalCount: 1, active: true });
    expect(await h.syncCatalog.execute()).toEqual(summary({ updated: 1, unchanged: 1 }, { updated: 1, unchanged: 3, failed: 1 }, [orphanFailure(h.ids.orphan)]));
  });

  it('reports a price Stripe refuses with Stripe\'s code and message, and goes on', async () => {
    const h = setup();
    h.price(h.ids.bookEur, { productId: h.book, unitAmount: 1700, currency: 'xyz', active: true });
    const result = await h.syncCatalog.execute();
    expect(result.prices).toEqual({ created: 3, updated: 0, unchanged: 0, failed: 2 });
    expect(result.failures).toEqual([
      { priceId: h.ids.bookEur, code: 'payment_provider_invalid_request', reason: expect.stringMatching(/^Invalid currency: xyz\. Stripe currently supports these currencies: /) },
      orphanFailure(h.ids.orphan),
    ]);
  });

  it.each([
    ['an outage', 'server_error', 'unavailable'],
    ['a rate limit', 'rate_limit', 'rate_limited'],
  ] as const)('stops at %s of Stripe, reporting no failure for it', async (_what, fault, kind) => {
    const h = setup();
    simulator.faults.inject({ kind: fault, method: 'POST', path: '/v1/prices', count: 1 });
    const progress: number[] = [];
    await expect(h.syncCatalog.execute((done) => progress.push(done))).rejects.toMatchObject({ kind });
    expect(progress).toEqual([]);
    expect(h.catalog.listed).toEqual([undefined]);
  });

  it('stops at a failure of the tables', async () => {
    const h = setup();
    h.catalog.getProduct = async () => {
      throw new Error('ProvisionedThroughputExceededException');
    };
    await expect(h.syncCatalog.execute()).rejects.toThrow('ProvisionedThroughputExceededException');
  });

  it('answers an empty catalog with nothing done', async () => {
    const catalog = new InMemoryCatalogRepository();
    const progress: number[] = [];
    const result = await new SyncCatalog(catalog, new SyncProductPrice(catalog, stripeGateways(API_KEY, simulator.url).catalog, new ManualClock())).execute((done) => progress.push(done));
    expect(result).toEqual(summary({}, {}));
    expect(progress).toEqual([]);
    expect(catalog.listed).toEqual([undefined]);
  });
});
