import { randomUUID } from 'node:crypto';
import { PutItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { priceItem, productItem } from '../../../../scripts/lib/sample-catalog';
import type { CatalogRepository } from '../../src/application/ports/catalog-repository';

export interface CatalogBackend {
  repository: CatalogRepository;
  /** Writes items as the owning services would, including ones of the wrong shape. */
  put(table: 'products' | 'prices', item: Record<string, AttributeValue>): Promise<void>;
  teardown(): Promise<void>;
}

/** The behaviour every CatalogRepository must have; run against each adapter. */
export function catalogRepositoryContract(name: string, setup: () => Promise<CatalogBackend>) {
  describe(`CatalogRepository contract: ${name}`, () => {
    let backend: CatalogBackend;
    beforeAll(async () => {
      backend = await setup();
    }, 60_000);
    afterAll(async () => backend?.teardown());
    const id = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;

    it('reads products and prices in the documented shapes, with their defaults', async () => {
      const productId = id('prod');
      await backend.put('products', productItem({ productId, name: 'Book', description: 'A book', active: true }));
      await backend.put('prices', priceItem({ priceId: `${productId}-m`, productId, unitAmount: 900, currency: 'USD', type: 'recurring', interval: 'month', intervalCount: 3, active: true }));
      await backend.put('products', { productId: { S: `${productId}-bare` }, name: { S: 'Bare' } });
      expect(await backend.repository.getProduct(productId)).toEqual({ productId, name: 'Book', description: 'A book', active: true, stripeProductId: undefined });
      expect(await backend.repository.getProduct(`${productId}-bare`)).toEqual({ productId: `${productId}-bare`, name: 'Bare', description: undefined, active: true, stripeProductId: undefined });
      expect(await backend.repository.getPrice(`${productId}-m`)).toEqual({
        priceId: `${productId}-m`, productId, unitAmount: 900, currency: 'usd', recurring: { interval: 'month', intervalCount: 3 }, active: true, stripePriceId: undefined,
      });
      expect(await backend.repository.getPrice(id('missing'))).toBeUndefined();
    });

    it('treats items of the wrong shape as absent', async () => {
      const priceId = id('bad');
      await backend.put('prices', { priceId: { S: priceId }, productId: { S: 'p' }, unitAmount: { S: 'nine' }, currency: { S: 'usd' } });
      await backend.put('prices', { priceId: { S: `${priceId}-r` }, productId: { S: 'p' }, unitAmount: { N: '5' }, currency: { S: 'usd' }, type: { S: 'recurring' }, interval: { S: 'fortnight' } });
      expect(await backend.repository.getPrice(priceId)).toBeUndefined();
      expect(await backend.repository.getPrice(`${priceId}-r`)).toBeUndefined();
    });

    it('writes back the Stripe ids, and only for items that exist', async () => {
      const productId = id('prod');
      await backend.put('products', productItem({ productId, name: 'P', active: true }));
      await backend.put('prices', priceItem({ priceId: `${productId}-x`, productId, unitAmount: 100, currency: 'eur', type: 'one_time', active: false }));
      await backend.repository.setStripeProductId(productId, 'prod_local_x');
      await backend.repository.setStripePriceId(`${productId}-x`, 'price_123');
      expect((await backend.repository.getProduct(productId))?.stripeProductId).toBe('prod_local_x');
      expect(await backend.repository.getPrice(`${productId}-x`)).toMatchObject({ stripePriceId: 'price_123', active: false, recurring: undefined });
      await expect(backend.repository.setStripePriceId(id('nothing'), 'price_1')).rejects.toThrow();
    });

    it('lists every price across pages', async () => {
      const seen = new Set<string>();
      let cursor: string | undefined;
      do {
        const page = await backend.repository.listPrices(cursor);
        page.prices.forEach((p) => seen.add(p.priceId));
        cursor = page.cursor;
      } while (cursor);
      const more = id('listed');
      await backend.put('prices', priceItem({ priceId: more, productId: 'p', unitAmount: 100, currency: 'usd', type: 'one_time', active: true }));
      const again = new Set<string>();
      cursor = undefined;
      do {
        const page = await backend.repository.listPrices(cursor);
        page.prices.forEach((p) => again.add(p.priceId));
        cursor = page.cursor;
      } while (cursor);
      expect(again.has(more)).toBe(true);
      expect(again.size).toBe(seen.size + 1);
    });
  });
}

export function putInto(client: DynamoDBClient, tables: { products: string; prices: string }): CatalogBackend['put'] {
  return async (table, item) => {
    await client.send(new PutItemCommand({ TableName: tables[table], Item: item }));
  };
}
