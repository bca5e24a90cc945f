// Composed as the payments and catalog modules compose it: the Stripe customer, catalog and checkout
// adapters on the in-process Stripe simulator, the customer and catalog tables in memory.
import { randomUUID } from 'node:crypto';
import { priceItem, productItem } from '../../../../../scripts/lib/sample-catalog';
import { startStripeSimulator, type StripeSimulator } from '../../../../../scripts/stripe-simulator/index';
import { SyncProductPrice } from '../../../src/application/catalog/sync-product-price';
import { GetOrCreateCustomer } from '../../../src/application/customers/get-or-create-customer';
import { CreateCheckoutSession, type CreateCheckoutSessionInput } from '../../../src/application/payments/create-checkout-session';
import { stripeIdempotencyKey } from '../../../src/application/shared/idempotency-keys';
import { stripeGateways } from '../../contract/stripe-gateways';
import { InMemoryCatalogRepository } from '../../fakes/in-memory-catalog-repository';
import { InMemoryCustomerRepository } from '../../fakes/in-memory-customer-repository';
import { ManualClock } from '../../support/manual-clock';
import { refusal } from './payments-world';

const API_KEY = 'sk_test_checkout_unit';

let simulator: StripeSimulator;
beforeAll(async () => {
  simulator = await startStripeSimulator({ port: 0 });
});
afterAll(() => simulator.stop());

interface StripeSession {
  id: string;
  mode: string;
  customer: string;
  metadata: Record<string, string>;
  success_url: string;
  cancel_url: string;
  url: string;
}

/** An object as Stripe holds it, read past our adapters. */
async function stripeGet<T>(path: string): Promise<T> {
  const response = await fetch(`${simulator.url}${path}`, { headers: { authorization: `Bearer ${API_KEY}` } });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
  return (await response.json()) as T;
}

function checkoutWorld() {
  const stripe = stripeGateways(API_KEY, simulator.url);
  const clock = new ManualClock();
  const catalog = new InMemoryCatalogRepository();
  const customers = new InMemoryCustomerRepository();
  const productId = `prod-${randomUUID().slice(0, 8)}`;
  catalog.put('products', productItem({ productId, name: 'Handbook', active: true }));
  catalog.put('prices', priceItem({ priceId: `${productId}-once`, productId, unitAmount: 1900, currency: 'usd', type: 'one_time', active: true }));
  catalog.put('prices', priceItem({ priceId: `${productId}-monthly`, productId, unitAmount: 1200, currency: 'usd', type: 'recurring', interval: 'month', intervalCount: 1, active: true }));
  catalog.put('prices', priceItem({ priceId: `${productId}-retired`, productId, unitAmount: 500, currency: 'usd', type: 'one_time', active: false }));
  const useCase = new CreateCheckoutSession(new GetOrCreateCustomer(customers, stripe.customers, clock), new SyncProductPrice(catalog, stripe.catalog, clock), stripe.checkout);
  const userId = `user-${randomUUID()}`;
  const input = (overrides: Partial<CreateCheckoutSessionInput> = {}): CreateCheckoutSessionInput => ({
    userId, email: 'buyer@example.com', role: 'user', priceId: `${productId}-once`, quantity: 1,
    successUrl: 'https://shop.example/done', cancelUrl: 'https://shop.example/cart', operationId: randomUUID(), ...overrides,
  });
  return { stripe, catalog, customers, useCase, userId, productId, input };
}

describe('CreateCheckoutSession', () => {
  it('opens a payment-mode checkout for a one-time price, for the caller\'s customer, tagged with our ids', async () => {
    const w = checkoutWorld();
    const operationId = randomUUID();
    const answer = await w.useCase.execute(w.input({ quantity: 3, operationId }));
    const customer = await w.customers.get(w.userId);
    const stripePriceId = (await w.catalog.getPrice(`${w.productId}-once`))?.stripePriceId;
    expect(customer).toMatchObject({ status: 'active', email: 'buyer@example.com', role: 'user' });
    const session = await stripeGet<StripeSession>(`/v1/checkout/sessions/${answer.checkoutSessionId}`);
    expect(answer).toEqual({ checkoutUrl: session.url, checkoutSessionId: session.id, customerId: customer?.stripeCustomerId, mode: 'payment', paymentIntentId: null });
    expect(answer.checkoutUrl).toEqual(expect.stringContaining(simulator.url));
    expect(session).toMatchObject({
      mode: 'payment', customer: customer?.stripeCustomerId, success_url: 'https://shop.example/done', cancel_url: 'https://shop.example/cart',
    });
    expect(session.metadata).toEqual({ userId: w.userId, checkoutId: `chk_${operationId}`, localPriceId: `${w.productId}-once` });
    const items = await stripeGet<{ data: { quantity: number; price: { id: string } }[] }>(`/v1/checkout/sessions/${session.id}/line_items`);
    expect(items.data.map((item) => ({ quantity: item.quantity, price: item.price.id }))).toEqual([{ quantity: 3, price: stripePriceId }]);
    expect(stripePriceId).toMatch(/^price_/);
  });

  it('opens a subscription-mode checkout for a recurring price', async () => {
    const w = checkoutWorld();
    const answer = await w.useCase.execute(w.input({ priceId: `${w.productId}-monthly` }));
    expect(answer).toMatchObject({ mode: 'subscription', paymentIntentId: null });
    expect((await stripeGet<StripeSession>(`/v1/checkout/sessions/${answer.checkoutSessionId}`)).mode).toBe('subscription');
  });

  it('opens the same session for a retry under the same operation id, and another for another', async () => {
    const w = checkoutWorld();
    const operationId = randomUUID();
    const first = await w.useCase.execute(w.input({ operationId }));
    expect(await w.useCase.execute(w.input({ operationId }))).toEqual(first);
    const other = await w.useCase.execute(w.input());
    expect(other.checkoutSessionId).not.toBe(first.checkoutSessionId);
    const replay = await w.stripe.checkout.createCheckoutSession({
      mode: 'payment', customerId: first.customerId,
      lineItems: [{ priceId: (await w.catalog.getPrice(`${w.productId}-once`))!.stripePriceId!, quantity: 1 }],
      successUrl: 'https://shop.example/done', cancelUrl: 'https://shop.example/cart',
      metadata: { userId: w.userId, checkoutId: `chk_${operationId}`, localPriceId: `${w.productId}-once` },
      idempotencyKey: stripeIdempotencyKey('checkout-session-create', `chk_${operationId}`),
    });
    expect(replay.id).toBe(first.checkoutSessionId);
  });

  it('refuses a price that does not exist or cannot be bought before making a customer', async () => {
    const w = checkoutWorld();
    expect(await refusal(w.useCase.execute(w.input({ priceId: 'no-such-price' })))).toMatchObject({ name: 'PriceNotFoundError', kind: 'not_found' });
    expect(await refusal(w.useCase.execute(w.input({ priceId: `${w.productId}-retired` })))).toMatchObject({ name: 'PriceNotPurchasableError' });
    expect(await w.customers.get(w.userId)).toBeUndefined();
  });
});
