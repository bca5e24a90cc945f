import { randomUUID } from 'node:crypto';
import { startStripeSimulator, type StripeSimulator } from '../../../../../scripts/stripe-simulator/index';
import { stripeIdempotencyKey } from '../../../src/application/shared/idempotency-keys';
import { paymentsWorld, refusal } from './payments-world';

let simulator: StripeSimulator;
beforeAll(async () => {
  simulator = await startStripeSimulator({ port: 0 });
});
afterAll(() => simulator.stop());

const invalid = (field: string, message: string) => ({
  name: 'InvalidPaymentRequestError',
  kind: 'validation',
  code: 'invalid_payment_request',
  message: `${field}: ${message}`,
  details: { errors: [{ field, message }] },
});

describe('CreatePaymentIntent', () => {
  it('creates the customer, then the intent tagged with our ids, then the record, and answers both ids', async () => {
    const w = paymentsWorld(simulator.url);
    const operationId = randomUUID();
    const created = await w.create({ amount: 2500, currency: 'eur', captureMethod: 'manual', description: 'Order 7', metadata: { orderId: '7' }, operationId });
    const paymentId = `pay_${operationId}`;
    const intent = await w.stripe.intents.retrievePaymentIntent(created.paymentIntentId);
    const customerId = await w.customerId();
    expect(created).toEqual({ paymentId, paymentIntentId: intent?.id, clientSecret: intent?.clientSecret, amount: 2500, currency: 'eur', status: 'pending', captureMethod: 'manual' });
    expect(created.clientSecret).toMatch(new RegExp(`^${created.paymentIntentId}_secret_`));
    expect(intent).toMatchObject({
      amount: 2500, currency: 'eur', captureMethod: 'manual', customerId, description: 'Order 7', status: 'pending',
      metadata: { orderId: '7', userId: w.userId, paymentId },
    });
    expect(await w.stored(paymentId)).toEqual({
      userId: w.userId, paymentId, stripePaymentIntentId: created.paymentIntentId, stripeCustomerId: customerId,
      amount: 2500, currency: 'eur', captureMethod: 'manual', status: 'pending', intentStatus: 'pending',
      amountCapturable: 0, amountReceived: 0, amountRefunded: 0, refunds: [], description: 'Order 7', metadata: { orderId: '7' },
      lastError: undefined, cancellationReason: undefined, stripeUpdatedAt: intent?.created, lastStripeEventId: undefined,
      createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', version: 1,
    });
    expect(w.metrics).toEqual([]);
  });

  it('creates an intent that never redirects the payer away, with no description or metadata of the caller', async () => {
    const w = paymentsWorld(simulator.url);
    w.clock.advance(90_000);
    const created = await w.create();
    const intent = await w.stripe.intents.retrievePaymentIntent(created.paymentIntentId);
    expect(intent?.description).toBeUndefined();
    expect(intent?.metadata).toEqual({ userId: w.userId, paymentId: created.paymentId });
    expect(intent?.captureMethod).toBe('automatic');
    const stored = await w.stored(created.paymentId);
    expect(stored.description).toBeUndefined();
    expect(stored.metadata).toEqual({});
    expect(stored.createdAt).toBe('2026-01-01T00:01:30.000Z');
    // No redirect methods: a card that needs 3-D Secure is answered with Stripe.js's action, not a redirect URL.
    const confirmed = await w.confirmPayment.execute({ userId: w.userId, id: created.paymentId, paymentMethod: 'pm_card_threeDSecure2Required', operationId: randomUUID() });
    expect(confirmed.nextAction).toEqual({ type: 'use_stripe_sdk', redirectUrl: null });
  });

  it('makes the same payment for a retry under the same operation id, and another for another operation id', async () => {
    const w = paymentsWorld(simulator.url);
    const operationId = randomUUID();
    const first = await w.create({ operationId, description: 'once' });
    const again = await w.create({ operationId, description: 'once' });
    expect(again).toEqual(first);
    expect((await w.stored(first.paymentId)).version).toBe(1);
    const other = await w.create({ description: 'once' });
    expect(other.paymentId).not.toBe(first.paymentId);
    expect(other.paymentIntentId).not.toBe(first.paymentIntentId);
    // The key Stripe saw is derived from our payment id alone: replaying it answers the first intent.
    const replayed = await w.stripe.intents.createPaymentIntent({
      amount: 2000, currency: 'usd', customerId: await w.customerId(), captureMethod: 'automatic', description: 'once',
      metadata: { userId: w.userId, paymentId: first.paymentId }, allowRedirects: false,
      idempotencyKey: stripeIdempotencyKey('payment-intent-create', first.paymentId),
    });
    expect(replayed.id).toBe(first.paymentIntentId);
  });

  it('answers a retry after the payment moved on with the stored payment, counting its success once', async () => {
    const w = paymentsWorld(simulator.url);
    const operationId = randomUUID();
    const first = await w.paid({ operationId, amount: 1234 });
    const again = await w.create({ operationId, amount: 1234 });
    expect(again).toEqual({ ...first, status: 'succeeded' });
    expect(w.metrics).toEqual(['success 1234 usd']);
  });

  it.each([
    ['usd', 50],
    ['usd', 99_999_999],
    ['gbp', 30],
    ['jpy', 50],
  ])('accepts %s %d, an amount at its limit', async (currency, amount) => {
    const w = paymentsWorld(simulator.url);
    const created = await w.create({ currency, amount });
    expect(created).toMatchObject({ amount, currency, status: 'pending' });
    expect((await w.stored(created.paymentId)).amount).toBe(amount);
  });

  it.each([
    ['usd', 49, 'amount', 'is below the minimum charge for this currency'],
    ['gbp', 29, 'amount', 'is below the minimum charge for this currency'],
    ['usd', 100_000_000, 'amount', 'is above the maximum charge (99999999 minor units)'],
    ['usd', 0, 'amount', 'must be positive'],
    ['usd', -50, 'amount', 'must be positive'],
    ['usd', 100.5, 'amount', 'must be an integer amount in the minor unit of the currency'],
    ['xyz', 1000, 'currency', 'must be an ISO 4217 currency code Stripe supports'],
    ['USD', 1000, 'currency', 'must be an ISO 4217 currency code Stripe supports'],
  ])('refuses %s %d before reaching Stripe: %s %s', async (currency, amount, field, message) => {
    const w = paymentsWorld(simulator.url);
    expect(await refusal(w.create({ currency, amount }))).toEqual(invalid(field, message));
    await expect(w.customerId()).rejects.toThrow('has no Stripe customer yet');
    expect((await w.payments.list(w.userId, { limit: 10 })).payments).toEqual([]);
  });

  it.each([
    [{ userId: 'someone-else' }, 'metadata.userId'],
    [{ paymentId: 'pay_other' }, 'metadata.paymentId'],
    [{ orderId: '1', paymentId: 'pay_other' }, 'metadata.paymentId'],
  ])('refuses the reserved metadata %j, naming the key', async (metadata, field) => {
    const w = paymentsWorld(simulator.url);
    expect(await refusal(w.create({ metadata }))).toEqual(invalid(field, 'is reserved for the service'));
    await expect(w.customerId()).rejects.toThrow('has no Stripe customer yet');
  });

  it('keeps metadata whose keys only resemble the reserved ones', async () => {
    const w = paymentsWorld(simulator.url);
    const created = await w.create({ metadata: { userid: 'a', payment: 'b', '': 'c' } });
    expect((await w.stored(created.paymentId)).metadata).toEqual({ userid: 'a', payment: 'b', '': 'c' });
  });

  it('stores nothing when Stripe fails, and the retry under the same operation id makes the payment', async () => {
    const w = paymentsWorld(simulator.url);
    const operationId = randomUUID();
    simulator.faults.inject({ kind: 'server_error', count: 1, method: 'POST', path: '/v1/payment_intents' });
    expect(await refusal(w.create({ operationId }))).toMatchObject({ kind: 'unavailable', code: 'payment_provider_unavailable' });
    expect(await w.payments.get(w.userId, `pay_${operationId}`)).toBeUndefined();
    const created = await w.create({ operationId });
    expect(created.paymentId).toBe(`pay_${operationId}`);
    expect((await w.stored(created.paymentId)).version).toBe(1);
  });
});
