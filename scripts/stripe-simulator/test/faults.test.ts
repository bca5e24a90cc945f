import Stripe from 'stripe';
import { startHarness, TEST_KEY, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.sim.stop();
});
afterEach(() => h.sim.faults.clear());

const client = (options: Stripe.StripeConfig = {}): Stripe =>
  new Stripe(TEST_KEY, { host: '127.0.0.1', port: h.sim.port, protocol: 'http', maxNetworkRetries: 0, ...options });

const unique = (): string => `fault-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
const count = async (email: string): Promise<number> => (await h.stripe.customers.list({ email })).data.length;

describe('fault injection', () => {
  it('answers 429 to the next N requests, then recovers', async () => {
    h.sim.faults.inject({ kind: 'rate_limit', count: 2 });
    const email = unique();
    await expect(h.stripe.customers.create({ email })).rejects.toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    await expect(h.stripe.customers.create({ email })).rejects.toMatchObject({ statusCode: 429, code: 'rate_limit' });
    await h.stripe.customers.create({ email });
    expect(await count(email)).toBe(1);
    expect(h.sim.faults.list()).toEqual([]);
  });

  it('answers 500 without executing, and the SDK retry succeeds', async () => {
    h.sim.faults.inject({ kind: 'server_error', count: 1, method: 'POST', path: '/v1/customers' });
    const email = unique();
    await expect(h.stripe.customers.create({ email })).rejects.toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(await count(email)).toBe(0);
    h.sim.faults.inject({ kind: 'server_error', count: 1, method: 'POST', path: '/v1/customers' });
    const retrying = client({ maxNetworkRetries: 2 });
    await retrying.customers.create({ email });
    expect(await count(email)).toBe(1);
  });

  it('drops the connection after creating: a retry with the same idempotency key gets the object, not a second one', async () => {
    h.sim.faults.inject({ kind: 'drop_after', count: 1, method: 'POST', path: '/v1/customers' });
    const email = unique();
    const retrying = client({ maxNetworkRetries: 2 });
    const customer = await retrying.customers.create({ email });
    expect(customer.email).toBe(email);
    expect(customer.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(await count(email)).toBe(1);

    h.sim.faults.inject({ kind: 'drop_after', count: 1, method: 'POST', path: '/v1/customers' });
    const other = unique();
    // The SDK retries a closed connection once even with retries off, reusing its idempotency key:
    // the retry is answered with the saved response.
    const noRetry = client();
    const again = await noRetry.customers.create({ email: other }, { idempotencyKey: `drop-${other}` });
    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(await count(other)).toBe(1);
  });

  it('drops an idempotent replay too, so every answer to one request can be lost', async () => {
    h.sim.faults.inject({ kind: 'drop_after', count: 3, method: 'POST', path: '/v1/customers' });
    const email = unique();
    // The first attempt runs and loses its answer; each retry with the key is a replay, lost as well.
    await expect(client({ maxNetworkRetries: 2 }).customers.create({ email }, { idempotencyKey: `lost-${email}` })).rejects.toBeInstanceOf(
      Stripe.errors.StripeConnectionError,
    );
    expect(h.sim.faults.list()).toEqual([]);
    expect(await count(email)).toBe(1);
    const answered = await client().customers.create({ email }, { idempotencyKey: `lost-${email}` });
    expect(answered.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(await count(email)).toBe(1);
  });

  it('drops the connection before executing', async () => {
    h.sim.faults.inject({ kind: 'drop_before', count: 2, method: 'POST' });
    const email = unique();
    await expect(client().customers.create({ email })).rejects.toBeInstanceOf(Stripe.errors.StripeConnectionError);
    expect(await count(email)).toBe(0);
  });

  it('hangs until the client times out', async () => {
    h.sim.faults.inject({ kind: 'timeout', count: 1, method: 'GET', path: '/v1/customers' });
    const started = Date.now();
    await expect(client({ timeout: 300 }).customers.list()).rejects.toBeInstanceOf(Stripe.errors.StripeConnectionError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await client().customers.list();
  });

  it('applies a share of requests by probability and filters by method and path', async () => {
    h.sim.faults.inject({ kind: 'rate_limit', probability: 0, path: '/v1/customers' });
    h.sim.faults.inject({ kind: 'rate_limit', probability: 1, path: '/v1/products' });
    await h.stripe.customers.list();
    await expect(h.stripe.products.list()).rejects.toMatchObject({ statusCode: 429 });
    expect(h.sim.faults.list().map((f) => f.hits)).toEqual([0, 1]);
  });

  it('is controllable over HTTP for other processes', async () => {
    const add = await fetch(`${h.sim.url}/_simulator/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'server_error', count: 1, path: '/v1/customers' }),
    });
    expect(add.status).toBe(200);
    const { id } = (await add.json()) as { id: string };
    const listed = (await (await fetch(`${h.sim.url}/_simulator/faults`)).json()) as { data: { id: string }[] };
    expect(listed.data.map((f) => f.id)).toEqual([id]);
    await expect(h.stripe.customers.list()).rejects.toMatchObject({ statusCode: 500 });
    const bad = await fetch(`${h.sim.url}/_simulator/faults`, { method: 'POST', body: 'kind=explode', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(bad.status).toBe(400);
    await fetch(`${h.sim.url}/_simulator/faults`, { method: 'POST', body: 'kind=rate_limit', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect((await fetch(`${h.sim.url}/_simulator/faults`, { method: 'DELETE' })).status).toBe(200);
    await h.stripe.customers.list();
  });

  it('resets state over HTTP, keeping webhook endpoints unless told otherwise', async () => {
    const other = await startHarness({ webhookEndpoints: [{ url: 'http://127.0.0.1:9/hook' }] });
    try {
      await other.stripe.customers.create({ email: 'reset@example.com' }, { idempotencyKey: 'reset-key' });
      other.sim.faults.inject({ kind: 'rate_limit', path: '/v1/products' });
      const res = await fetch(`${other.sim.url}/_simulator/reset`, { method: 'POST' });
      expect(res.status).toBe(200);
      expect((await other.stripe.customers.list()).data).toEqual([]);
      expect((await other.stripe.events.list()).data).toEqual([]);
      await other.stripe.products.list();
      const again = await other.stripe.customers.create({ email: 'other@example.com' }, { idempotencyKey: 'reset-key' });
      expect(again.email).toBe('other@example.com');
      expect((await other.stripe.webhookEndpoints.list()).data).toHaveLength(1);
      await fetch(`${other.sim.url}/_simulator/reset`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"keep_webhook_endpoints":false}' });
      expect((await other.stripe.webhookEndpoints.list()).data).toHaveLength(0);
    } finally {
      await other.sim.stop();
    }
  });
});
