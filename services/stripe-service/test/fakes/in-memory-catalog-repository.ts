import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { CatalogRepository } from '../../src/application/ports/catalog-repository';
import { toPrice, toProduct } from '../../src/adapters/dynamodb/dynamo-catalog-repository';
import type { CatalogPrice, CatalogProduct } from '../../src/domain/catalog';

type Item = Record<string, AttributeValue>;

/**
 * The products and prices tables in memory, holding items in the shape their owning services
 * write (docs/catalog-tables.md), so that items of the wrong shape can be written and are read as
 * absent, by the DynamoDB adapter's own reading of an item. For unit tests of use cases; the CatalogRepository contract suite proves it behaves like
 * the DynamoDB adapter.
 */
export class InMemoryCatalogRepository implements CatalogRepository {
  private readonly products = new Map<string, Item>();
  private readonly prices = new Map<string, Item>();
  private readonly pageSize: number;
  /** The Stripe ids written back, in order. */
  readonly writes: { table: 'products' | 'prices'; id: string; stripeId: string }[] = [];
  /** The cursor each listPrices call was given, in order. */
  readonly listed: (string | undefined)[] = [];

  /** `pageSize`: prices a page, as the DynamoDB adapter's scan limit (100). */
  constructor(options: { pageSize?: number } = {}) {
    this.pageSize = options.pageSize ?? 100;
  }

  /** Writes an item as the owning services would, replacing any with its key. */
  put(table: 'products' | 'prices', item: Item): void {
    const key = table === 'products' ? item.productId?.S : item.priceId?.S;
    if (key === undefined) throw new Error(`an item of ${table} needs its key`);
    this.table(table).set(key, structuredClone(item));
  }

  async getProduct(productId: string): Promise<CatalogProduct | undefined> {
    const item = this.products.get(productId);
    return item ? toProduct(item) : undefined;
  }

  async getPrice(priceId: string): Promise<CatalogPrice | undefined> {
    const item = this.prices.get(priceId);
    return item ? toPrice(item) : undefined;
  }

  async listPrices(cursor?: string): Promise<{ prices: CatalogPrice[]; cursor: string | undefined }> {
    this.listed.push(cursor);
    const keys = [...this.prices.keys()];
    const start = cursor === undefined ? 0 : keys.indexOf(cursor) + 1;
    const page = keys.slice(start, start + this.pageSize);
    const prices = page.map((key) => toPrice(this.prices.get(key)!)).filter((p): p is CatalogPrice => p !== undefined);
    return { prices, cursor: start + this.pageSize < keys.length ? page.at(-1) : undefined };
  }

  async setStripeProductId(productId: string, stripeProductId: string): Promise<void> {
    this.writeBack('products', productId, 'stripeProductId', stripeProductId);
  }

  async setStripePriceId(priceId: string, stripePriceId: string): Promise<void> {
    this.writeBack('prices', priceId, 'stripePriceId', stripePriceId);
  }

  private writeBack(table: 'products' | 'prices', id: string, attribute: string, stripeId: string): void {
    const item = this.table(table).get(id);
    // What DynamoDB answers a conditional update of an item that is not there.
    if (!item) throw new Error('The conditional request failed');
    item[attribute] = { S: stripeId };
    this.writes.push({ table, id, stripeId });
  }

  private table(table: 'products' | 'prices'): Map<string, Item> {
    return table === 'products' ? this.products : this.prices;
  }
}
