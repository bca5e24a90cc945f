import Stripe from 'stripe';
import { paidIntent, raw, startHarness, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.sim.stop();
});
afterEach(() => h.sim.faults.clear());

const unique = (): string => `idem-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Holds the next request to `path` while it runs, until released. `claimed` resolves once the
 * simulator has taken it up: the fault is consumed in the same synchronous step that claims the
 * request's idempotency key, so from then on the key is in use.
 */
function holdNext(path: string): { claimed(): Promise<void>; release(): void } {
  let release!: () => void;
  const until = new Promise<void>((resolve) => (release = resolve));
  const id = h.sim.faults.inject({ kind: 'slow', until, count: 1, path });
  return { claimed: () => waitFor(() => !h.sim.faults.list().some((f) => f.id === id)), release };
}

async function countByEmail(email: string): Promise<number> {
  return (await h.stripe.customers.list({ email, limit: 100 })).data.length;
}

describe('Idempotency-Key', () => {
  it('replays the first response for the same key and parameters', async () => {
    const email = unique();
    const body = `email=${encodeURIComponent(email)}`;
    const first = await raw(h.sim, 'POST', '/v1/customers', body, { 'Idempotency-Key': 'k-replay' });
    const second = await raw(h.sim, 'POST', '/v1/customers', body, { 'Idempotency-Key': 'k-replay' });
    expect(first.status).toBe(200);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.headers.get('original-request')).toBe(first.headers.get('request-id'));
    expect(second.json).toEqual(first.json);
    expect(await countByEmail(email)).toBe(1);
  });

  it('keeps the key per request body, and the SDK sees the same object', async () => {
    const email = unique();
    const a = await h.stripe.customers.create({ email }, { idempotencyKey: 'k-sdk' });
    const b = await h.stripe.customers.create({ email }, { idempotencyKey: 'k-sdk' });
    expect(b.id).toBe(a.id);
    expect(b.lastResponse.headers['idempotent-replayed']).toBe('true');
  });

  it('replays a capture and a refund as first answered after the objects changed, and refuses them under a new key with Stripe\'s codes', async () => {
    const held = await paidIntent(h.stripe, 2000, 'manual');
    const captured = await h.stripe.paymentIntents.capture(held.id, { amount_to_capture: 1500, expand: ['latest_charge'] }, { idempotencyKey: `cap-${held.id}` });
    const refund = await h.stripe.refunds.create({ payment_intent: held.id, amount: 1000 }, { idempotencyKey: `ref-${held.id}` });
    await h.stripe.refunds.create({ payment_intent: held.id, amount: 300 });

    const capturedAgain = await h.stripe.paymentIntents.capture(held.id, { amount_to_capture: 1500, expand: ['latest_charge'] }, { idempotencyKey: `cap-${held.id}` });
    expect(capturedAgain.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect({ ...capturedAgain, lastResponse: undefined }).toEqual({ ...captured, lastResponse: undefined });
    // The charge as it was then, its released remainder only, not the refunds made since.
    expect(capturedAgain.latest_charge).toMatchObject({ amount_captured: 1500, amount_refunded: 500 });
    const refundedAgain = await h.stripe.refunds.create({ payment_intent: held.id, amount: 1000 }, { idempotencyKey: `ref-${held.id}` });
    expect(refundedAgain.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(refundedAgain.id).toBe(refund.id);

    await expect(h.stripe.paymentIntents.capture(held.id, { amount_to_capture: 1500 }, { idempotencyKey: `cap2-${held.id}` })).rejects.toMatchObject({
      type: 'StripeInvalidRequestError', code: 'payment_intent_unexpected_state',
    });
    await expect(h.stripe.refunds.create({ payment_intent: held.id, amount: 1000 }, { idempotencyKey: `ref2-${held.id}` })).rejects.toMatchObject({
      type: 'StripeInvalidRequestError', param: 'amount', message: 'Refund amount (1000) is greater than unrefunded amount on charge (200)',
    });
    await h.stripe.refunds.create({ payment_intent: held.id });
    await expect(h.stripe.refunds.create({ payment_intent: held.id }, { idempotencyKey: `ref3-${held.id}` })).rejects.toMatchObject({
      type: 'StripeInvalidRequestError', code: 'charge_already_refunded',
    });
  });

  it('refuses the same key with different parameters', async () => {
    await h.stripe.customers.create({ email: unique() }, { idempotencyKey: 'k-mismatch' });
    const err = await h.stripe.customers.create({ email: unique() }, { idempotencyKey: 'k-mismatch' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(err).toMatchObject({ statusCode: 400, type: 'StripeIdempotencyError' });
  });

  it('does not save a request refused by validation', async () => {
    const bad = await raw(h.sim, 'POST', '/v1/customers', 'email=not-an-email', { 'Idempotency-Key': 'k-validation' });
    expect(bad.status).toBe(400);
    const email = unique();
    const good = await raw(h.sim, 'POST', '/v1/customers', `email=${encodeURIComponent(email)}`, { 'Idempotency-Key': 'k-validation' });
    expect(good.status).toBe(200);
    expect(good.json['email']).toBe(email);
  });

  it('saves an error found after the request ran, so a retry does not run it twice', async () => {
    const email = unique();
    const body = `email=${encodeURIComponent(email)}&expand[]=email`;
    const first = await raw(h.sim, 'POST', '/v1/customers', body, { 'Idempotency-Key': 'k-expand' });
    expect(first.status).toBe(400);
    const second = await raw(h.sim, 'POST', '/v1/customers', body, { 'Idempotency-Key': 'k-expand' });
    expect(second.status).toBe(400);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await countByEmail(email)).toBe(1);
  });

  it('answers 409 while the first request with the key is still running', async () => {
    const first = holdNext('/v1/customers');
    const email = unique();
    const body = `email=${encodeURIComponent(email)}`;
    const running = raw(h.sim, 'POST', '/v1/customers', body, { 'Idempotency-Key': 'k-inflight' });
    await first.claimed();
    const second = await raw(h.sim, 'POST', '/v1/customers', body, { 'Idempotency-Key': 'k-inflight' });
    expect(second.status).toBe(409);
    expect(second.json['error']).toMatchObject({ type: 'idempotency_error', code: 'idempotency_key_in_use' });
    first.release();
    expect((await running).status).toBe(200);
    const third = await raw(h.sim, 'POST', '/v1/customers', body, { 'Idempotency-Key': 'k-inflight' });
    expect(third.json['id']).toBe((await running).json['id']);
    expect(await countByEmail(email)).toBe(1);
  });

  it('lets the SDK retry through a 409 and get the one object', async () => {
    const retrying = new Stripe('sk_test_retry', { host: '127.0.0.1', port: h.sim.port, protocol: 'http', maxNetworkRetries: 5 });
    // The SDK reports each attempt it sends (its response event comes only once, at the end).
    let attempts = 0;
    retrying.on('request', () => (attempts += 1));
    const first = holdNext('/v1/customers');
    const email = unique();
    const a = retrying.customers.create({ email }, { idempotencyKey: 'k-sdk-409' });
    await first.claimed();
    const b = retrying.customers.create({ email }, { idempotencyKey: 'k-sdk-409' });
    // A third attempt is the second one's retry: it was answered 409 while the first was held.
    await waitFor(() => attempts >= 3);
    first.release();
    const [created, retried] = await Promise.all([a, b]);
    expect(retried.id).toBe(created.id);
    expect(retried.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(await countByEmail(email)).toBe(1);
  });

  it('never creates two objects for concurrent requests with one key', async () => {
    const email = unique();
    const body = `email=${encodeURIComponent(email)}`;
    const results = await Promise.all(
      Array.from({ length: 25 }, () => raw(h.sim, 'POST', '/v1/customers', body, { 'Idempotency-Key': 'k-concurrent' })),
    );
    const ids = new Set(results.filter((r) => r.status === 200).map((r) => r.json['id']));
    expect(ids.size).toBe(1);
    expect(results.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    expect(await countByEmail(email)).toBe(1);
  });

  it('forgets keys after 24 hours', async () => {
    const other = await startHarness();
    try {
      await other.stripe.customers.create({ email: unique() }, { idempotencyKey: 'k-expire' });
      await other.sim.advanceClock(24 * 60 * 60 + 1);
      const again = await other.stripe.customers.create({ email: unique() }, { idempotencyKey: 'k-expire' });
      expect(again.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    } finally {
      await other.sim.stop();
    }
  });

  it('scopes keys to the API key', async () => {
    const otherKey = new Stripe('sk_test_other_account', { host: '127.0.0.1', port: h.sim.port, protocol: 'http', maxNetworkRetries: 0 });
    const a = await h.stripe.customers.create({ email: unique() }, { idempotencyKey: 'k-scope' });
    const b = await otherKey.customers.create({ email: unique() }, { idempotencyKey: 'k-scope' });
    expect(b.id).not.toBe(a.id);
  });
});
