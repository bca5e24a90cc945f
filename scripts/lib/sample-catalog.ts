import { PutItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

// Sample products and prices in the item shapes the product and pricing services own
// (docs/catalog-tables.md), for the dev stack (`npm run seed`) and the end-to-end tests.

export interface SampleProduct {
  productId: string;
  name: string;
  description?: string;
  active: boolean;
}

export interface SamplePrice {
  priceId: string;
  productId: string;
  unitAmount: number;
  currency: string;
  type: 'one_time' | 'recurring';
  interval?: 'day' | 'week' | 'month' | 'year';
  intervalCount?: number;
  active: boolean;
}

export const SAMPLE_PRODUCTS: SampleProduct[] = [
  { productId: 'ebook', name: 'The Payments Handbook (e-book)', description: 'PDF and EPUB', active: true },
  { productId: 'pro', name: 'Pro plan', description: 'Everything, billed monthly or yearly', active: true },
  { productId: 'legacy', name: 'Legacy plan', active: false },
];

export const SAMPLE_PRICES: SamplePrice[] = [
  { priceId: 'ebook-usd', productId: 'ebook', unitAmount: 1900, currency: 'usd', type: 'one_time', active: true },
  { priceId: 'ebook-jpy', productId: 'ebook', unitAmount: 2800, currency: 'jpy', type: 'one_time', active: true },
  { priceId: 'pro-monthly', productId: 'pro', unitAmount: 1200, currency: 'usd', type: 'recurring', interval: 'month', intervalCount: 1, active: true },
  { priceId: 'pro-yearly', productId: 'pro', unitAmount: 12000, currency: 'usd', type: 'recurring', interval: 'year', intervalCount: 1, active: true },
  { priceId: 'legacy-monthly', productId: 'legacy', unitAmount: 500, currency: 'usd', type: 'recurring', interval: 'month', intervalCount: 1, active: false },
];

export function productItem(product: SampleProduct): Record<string, AttributeValue> {
  return {
    productId: { S: product.productId },
    name: { S: product.name },
    ...(product.description ? { description: { S: product.description } } : {}),
    active: { BOOL: product.active },
  };
}

export function priceItem(price: SamplePrice): Record<string, AttributeValue> {
  return {
    priceId: { S: price.priceId },
    productId: { S: price.productId },
    unitAmount: { N: String(price.unitAmount) },
    currency: { S: price.currency },
    type: { S: price.type },
    ...(price.interval ? { interval: { S: price.interval }, intervalCount: { N: String(price.intervalCount ?? 1) } } : {}),
    active: { BOOL: price.active },
  };
}

/** Writes products and prices as their owning services would (replacing items with the same ids). */
export async function seedCatalog(
  client: DynamoDBClient,
  tables: { products: string; prices: string },
  data: { products: SampleProduct[]; prices: SamplePrice[] } = { products: SAMPLE_PRODUCTS, prices: SAMPLE_PRICES },
): Promise<void> {
  for (const product of data.products) await client.send(new PutItemCommand({ TableName: tables.products, Item: productItem(product) }));
  for (const price of data.prices) await client.send(new PutItemCommand({ TableName: tables.prices, Item: priceItem(price) }));
}
