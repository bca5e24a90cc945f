import { GetItemCommand, ScanCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CatalogRepository } from '../../application/ports/catalog-repository';
import type { CatalogPrice, CatalogProduct, Interval } from '../../domain/catalog';

type Item = Record<string, AttributeValue>;

const INTERVALS: readonly Interval[] = ['day', 'week', 'month', 'year'];

/**
 * The products table (key `productId`) and prices table (key `priceId`), in the item shapes
 * documented in docs/catalog-tables.md. Items that do not have that shape are read as absent, never guessed at.
 */
export class DynamoCatalogRepository implements CatalogRepository {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly productsTable: string,
    private readonly pricesTable: string,
  ) {}

  async getProduct(productId: string): Promise<CatalogProduct | undefined> {
    const result = await this.client.send(new GetItemCommand({ TableName: this.productsTable, Key: { productId: { S: productId } }, ConsistentRead: true }));
    return result.Item ? toProduct(result.Item) : undefined;
  }

  async getPrice(priceId: string): Promise<CatalogPrice | undefined> {
    const result = await this.client.send(new GetItemCommand({ TableName: this.pricesTable, Key: { priceId: { S: priceId } }, ConsistentRead: true }));
    return result.Item ? toPrice(result.Item) : undefined;
  }

  async listPrices(cursor?: string): Promise<{ prices: CatalogPrice[]; cursor: string | undefined }> {
    const result = await this.client.send(
      new ScanCommand({ TableName: this.pricesTable, Limit: 100, ...(cursor ? { ExclusiveStartKey: { priceId: { S: cursor } } } : {}) }),
    );
    const prices = (result.Items ?? []).map(toPrice).filter((p): p is CatalogPrice => p !== undefined);
    return { prices, cursor: result.LastEvaluatedKey?.priceId?.S };
  }

  async setStripeProductId(productId: string, stripeProductId: string): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.productsTable,
        Key: { productId: { S: productId } },
        UpdateExpression: 'SET stripeProductId = :id',
        ConditionExpression: 'attribute_exists(productId)',
        ExpressionAttributeValues: { ':id': { S: stripeProductId } },
      }),
    );
  }

  async setStripePriceId(priceId: string, stripePriceId: string): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.pricesTable,
        Key: { priceId: { S: priceId } },
        UpdateExpression: 'SET stripePriceId = :id',
        ConditionExpression: 'attribute_exists(priceId)',
        ExpressionAttributeValues: { ':id': { S: stripePriceId } },
      }),
    );
  }
}

/** A product as the owning service writes it to its table; undefined when a required attribute is missing. */
export function toProduct(item: Item): CatalogProduct | undefined {
  const productId = item.productId?.S;
  const name = item.name?.S;
  if (!productId || !name) return undefined;
  return { productId, name, description: item.description?.S, active: item.active?.BOOL ?? true, stripeProductId: item.stripeProductId?.S };
}

/** A price as the owning service writes it; undefined when incomplete or of an interval Stripe does not take. */
export function toPrice(item: Item): CatalogPrice | undefined {
  const priceId = item.priceId?.S;
  const productId = item.productId?.S;
  const unitAmount = Number(item.unitAmount?.N);
  const currency = item.currency?.S?.toLowerCase();
  if (!priceId || !productId || !Number.isSafeInteger(unitAmount) || !currency) return undefined;
  const interval = item.interval?.S as Interval | undefined;
  const recurring = item.type?.S === 'recurring';
  if (recurring && (!interval || !INTERVALS.includes(interval))) return undefined;
  return {
    priceId,
    productId,
    unitAmount,
    currency,
    recurring: recurring && interval ? { interval, intervalCount: Number(item.intervalCount?.N ?? '1') } : undefined,
    active: item.active?.BOOL ?? true,
    stripePriceId: item.stripePriceId?.S,
  };
}
