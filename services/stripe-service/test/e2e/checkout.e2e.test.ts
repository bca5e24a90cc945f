import { randomUUID } from 'node:crypto';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import Stripe from 'stripe';
import { seedCatalog, type SamplePrice, type SampleProduct } from '../../../../scripts/lib/sample-catalog';
import type { CatalogSyncSummary } from '../../src/application/catalog/sync-catalog';
import { startHostedCheckout, type HostedCheckout } from './hosted-checkout';
import { httpClient } from './http-client';
import { startTarget, type E2eTarget, type LocalDetails } from './target';

// Checkout by price id (seed 002) and the catalog sync, on the local stack: the products and
// prices tables are seeded as their owning services would, and Stripe is the simulator.

let target: E2eTarget;
let local: LocalDetails;
let dynamo: DynamoDBClient;
let stripe: Stripe;
const call = httpClient(() => target);

beforeAll(async () => {
  target = await startTarget();
  if (!target.local) throw new Error('these tests seed the local stack\'s catalog tables; they cannot run against a deployed stage');
  local = target.local;
  dynamo = new DynamoDBClient({ endpoint: local.dynamodbEndpoint, region: local.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  stripe = new Stripe(local.stripeSecretKey, { host: new URL(local.stripeUrl).hostname, port: new URL(local.stripeUrl).port, protocol: 'http' });
}, 60_000);
afterAll(async () => {
  dynamo?.destroy();
  await target?.stop();
});

const tables = () => ({ products: local.env.PRODUCTS_TABLE!, prices: local.env.PRICES_TABLE! });

/** A product and price no earlier test has synced. */
async function freshPrice(overrides: Partial<SamplePrice> = {}, product: Partial<SampleProduct> = {}) {
  const tag = randomUUID().slice(0, 8);
  const p: SampleProduct = { productId: `prod-${tag}`, name: `Product ${tag}`, active: true, ...product };
  const price: SamplePrice = { priceId: `price-${tag}`, productId: p.productId, unitAmount: 1900, currency: 'usd', type: 'one_time', active: true, ...overrides };
  await seedCatalog(dynamo, tables(), { products: [p], prices: [price] });
  return { product: p, price };
}

async function user(role = 'user') {
  const sub = `e2e-chk-${randomUUID()}`;
  return { sub, token: await target.tokenFor({ sub, email: `${sub}@example.com`, role }) };
}

const urls = { successUrl: 'https://shop.example.com/ok?session={CHECKOUT_SESSION_ID}', cancelUrl: 'https://shop.example.com/cancel' };

async function storedStripePriceId(priceId: string) {
  const item = await dynamo.send(new GetItemCommand({ TableName: tables().prices, Key: { priceId: { S: priceId } }, ConsistentRead: true }));
  return item.Item?.stripePriceId?.S;
}

describe('POST /stripe/payment-intent with a price id (seed 002)', () => {
  it('syncs a never-synced price on the fly and opens a payment checkout for the caller\'s customer', async () => {
    const { price } = await freshPrice();
    const { token } = await user();
    const answer = await call('POST', '/stripe/payment-intent', { token, body: { priceId: price.priceId, quantity: 2, ...urls } });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ mode: 'payment', checkoutSessionId: expect.stringMatching(/^cs_/), customerId: expect.stringMatching(/^cus_/), checkoutUrl: expect.stringMatching(/^http/) });
    const session = await stripe.checkout.sessions.retrieve(answer.body?.checkoutSessionId as string, { expand: ['line_items'] });
    expect(session.customer).toBe(answer.body?.customerId);
    expect(session.line_items?.data[0]).toMatchObject({ quantity: 2, amount_total: 3800 });
    const stripePriceId = await storedStripePriceId(price.priceId);
    expect(session.line_items?.data[0]?.price?.id).toBe(stripePriceId);
    const stripePrice = await stripe.prices.retrieve(stripePriceId!);
    expect(stripePrice).toMatchObject({ unit_amount: 1900, currency: 'usd', lookup_key: `local:${price.priceId}`, product: `prod_local_${price.productId}` });
  });

  it('opens a subscription checkout for a recurring price', async () => {
    const { price } = await freshPrice({ type: 'recurring', interval: 'month', intervalCount: 1, unitAmount: 1200 });
    const { token } = await user();
    const answer = await call('POST', '/stripe/payment-intent', { token, body: { priceId: price.priceId, ...urls } });
    expect(answer.body).toMatchObject({ mode: 'subscription' });
  });

  it('makes exactly one Stripe product and one active price for 20 concurrent checkouts of a never-synced price', async () => {
    const { product, price } = await freshPrice();
    const buyers = await Promise.all(Array.from({ length: 20 }, () => user()));
    const answers = await Promise.all(buyers.map((b) => call('POST', '/stripe/payment-intent', { token: b.token, body: { priceId: price.priceId, ...urls } })));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    const prices = await stripe.prices.list({ lookup_keys: [`local:${price.priceId}`], limit: 100 });
    expect(prices.data).toHaveLength(1);
    const all = await stripe.prices.list({ product: `prod_local_${product.productId}`, limit: 100 });
    expect(all.data).toHaveLength(1);
    expect((await stripe.products.search({ query: `metadata['localProductId']:'${product.productId}'` })).data).toHaveLength(1);
  });

  it('makes a new Stripe price when the local amount changes, moves the lookup key to it and archives the old one', async () => {
    const { product, price } = await freshPrice();
    const { token } = await user();
    await call('POST', '/stripe/payment-intent', { token, body: { priceId: price.priceId, ...urls } });
    const first = await storedStripePriceId(price.priceId);
    await seedCatalog(dynamo, tables(), { products: [product], prices: [{ ...price, unitAmount: 2400 }] });
    const answer = await call('POST', '/stripe/payment-intent', { token, body: { priceId: price.priceId, ...urls } });
    expect(answer.status).toBe(201);
    const second = await storedStripePriceId(price.priceId);
    expect(second).not.toBe(first);
    expect(await stripe.prices.retrieve(first!)).toMatchObject({ active: false });
    expect(await stripe.prices.retrieve(second!)).toMatchObject({ active: true, unit_amount: 2400, lookup_key: `local:${price.priceId}` });
  });

  it('refuses unknown and inactive prices, and return URLs that are not https', async () => {
    const { token } = await user();
    expect((await call('POST', '/stripe/payment-intent', { token, body: { priceId: 'no-such-price', ...urls } })).body).toMatchObject({ status: 404, code: 'price_not_found' });
    const inactive = await freshPrice({ active: false });
    expect((await call('POST', '/stripe/payment-intent', { token, body: { priceId: inactive.price.priceId, ...urls } })).body).toMatchObject({ status: 409, code: 'price_not_purchasable' });
    const retired = await freshPrice({}, { active: false });
    expect((await call('POST', '/stripe/payment-intent', { token, body: { priceId: retired.price.priceId, ...urls } })).body).toMatchObject({ status: 409, code: 'price_not_purchasable' });
    const plain = await call('POST', '/stripe/payment-intent', { token, body: { priceId: 'x', successUrl: 'http://shop.example.com/ok', cancelUrl: urls.cancelUrl } });
    expect(plain.status).toBe(400);
    expect(JSON.stringify(plain.body)).toContain('successUrl');
    const mixed = await call('POST', '/stripe/payment-intent', { token, body: { priceId: 'x', amount: 1000, currency: 'usd', ...urls } });
    expect(mixed.status).toBe(400);
    const localhost = await freshPrice();
    expect((await call('POST', '/stripe/payment-intent', { token, body: { priceId: localhost.price.priceId, successUrl: 'http://localhost:8080/ok', cancelUrl: 'http://127.0.0.1:8080/no' } })).status).toBe(201);
  });
});

describe('paying on the hosted page (headless Chromium)', () => {
  let checkout: HostedCheckout | undefined;
  afterAll(async () => checkout?.close());

  it('pays a checkout opened through the API with 4242… and lands on success_url', async () => {
    checkout = await startHostedCheckout();
    const { price } = await freshPrice({ unitAmount: 2500 });
    const { token } = await user();
    const answer = await call('POST', '/stripe/payment-intent', { token, body: { priceId: price.priceId, successUrl: `${checkout.shopUrl}/success`, cancelUrl: `${checkout.shopUrl}/cancel` } });
    const page = await checkout.open(answer.body?.checkoutUrl as string);
    await expect(page.locator('#total').textContent()).resolves.toBe('$25.00');
    await checkout.payWithCard(page);
    await expect(page.locator('#landing').textContent()).resolves.toBe('/success');
    const session = await stripe.checkout.sessions.retrieve(answer.body?.checkoutSessionId as string);
    expect(session).toMatchObject({ status: 'complete', payment_status: 'paid', amount_total: 2500 });
  }, 120_000);
});

describe('POST /stripe/catalog/sync', () => {
  it('is for administrators only', async () => {
    const { token } = await user('user');
    const answer = await call('POST', '/stripe/catalog/sync', { token });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ code: 'admin_required' });
  });

  it('syncs every product and price and summarizes; a second run finds everything unchanged', async () => {
    await freshPrice();
    await freshPrice({ type: 'recurring', interval: 'year', intervalCount: 1 });
    await seedCatalog(dynamo, tables(), { products: [], prices: [{ priceId: `orphan-${randomUUID().slice(0, 8)}`, productId: 'missing-product', unitAmount: 100, currency: 'usd', type: 'one_time', active: true }] });
    const { token } = await user('admin');
    const first = await call('POST', '/stripe/catalog/sync', { token });
    expect(first.status).toBe(200);
    const summary = first.body as unknown as CatalogSyncSummary;
    expect(summary.prices.failed).toBeGreaterThanOrEqual(1);
    expect(summary.failures).toContainEqual(expect.objectContaining({ code: 'price_not_purchasable', priceId: expect.stringMatching(/^orphan-/) }));
    expect(summary.prices.created + summary.prices.updated + summary.prices.unchanged).toBeGreaterThanOrEqual(2);
    const second = (await call('POST', '/stripe/catalog/sync', { token })).body as unknown as CatalogSyncSummary;
    expect(second.prices.created).toBe(0);
    expect(second.prices.updated).toBe(0);
    expect(second.products.created).toBe(0);
    expect(second.prices.unchanged).toBe(summary.prices.created + summary.prices.updated + summary.prices.unchanged);
  });
});
