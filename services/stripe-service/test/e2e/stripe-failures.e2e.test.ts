import { randomUUID } from 'node:crypto';
import { httpClient } from './http-client';
import { useTarget } from './target';

// Stripe failing under the service, injected with the simulator's faults: the caller gets a 503
// with Retry-After within the function's time, never a 500, and a retry with the same
// Idempotency-Key after the fault is gone makes the payment once.

const current = useTarget();
const call = httpClient(current);

async function fault(rule: Record<string, string | number>) {
  const local = current().local;
  if (!local) throw new Error('fault injection needs the local stack\'s simulator');
  const response = await fetch(`${local.stripeUrl}/_simulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(Object.entries(rule).map(([k, v]) => [k, String(v)])).toString(),
  });
  if (!response.ok) throw new Error(`fault injection refused: ${response.status} ${await response.text()}`);
}

async function clearFaults() {
  await fetch(`${current().local!.stripeUrl}/_simulator/faults`, { method: 'DELETE' });
}

afterEach(clearFaults);

async function token(sub = `e2e-fault-${randomUUID()}`) {
  return current().tokenFor({ sub, email: 'fault@example.com' });
}

describe.each([
  ['rate limits (429)', 'rate_limit', 'payment_provider_rate_limited'],
  ['fails (500)', 'server_error', 'payment_provider_unavailable'],
  ['drops the connection', 'drop_before', 'payment_provider_unavailable'],
])('when Stripe %s', (_what, kind, code) => {
  it('answers 503 with Retry-After, and the retry with the same key makes one payment', async () => {
    const bearer = await token();
    // The customer first, so the fault hits the payment itself.
    expect((await call('POST', '/stripe/customer', { token: bearer })).status).toBe(201);
    await fault({ kind, method: 'POST', path: '/v1/payment_intents' });
    const key = randomUUID();
    const failed = await call('POST', '/stripe/payment-intent', { token: bearer, body: { amount: 1500, currency: 'usd' }, headers: { 'idempotency-key': key } });
    expect(failed.status).toBe(503);
    expect(Number(failed.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(failed.body).toMatchObject({ code });
    await clearFaults();
    const retried = await call('POST', '/stripe/payment-intent', { token: bearer, body: { amount: 1500, currency: 'usd' }, headers: { 'idempotency-key': key } });
    expect(retried.status).toBe(201);
    expect(((await call('GET', '/stripe/payments', { token: bearer })).body?.payments as unknown[]).length).toBe(1);
  });
});

it('answers 503 before the function times out when Stripe hangs', async () => {
  const bearer = await token();
  expect((await call('POST', '/stripe/customer', { token: bearer })).status).toBe(201);
  await fault({ kind: 'timeout', method: 'POST', path: '/v1/payment_intents' });
  const started = Date.now();
  const answer = await call('POST', '/stripe/payment-intent', { token: bearer, body: { amount: 1500, currency: 'usd' } });
  expect(answer.status).toBe(503);
  expect(answer.body).toMatchObject({ code: expect.stringMatching(/^(payment_provider_unavailable|dependency_timeout)$/) });
  // Two attempts of 4 s: inside the function's 15 s, which would otherwise answer an opaque 500.
  expect(Date.now() - started).toBeLessThan(14_000);
}, 30_000);

it('makes the payment once when Stripe created it but the answer was lost, on the retry with the same key', async () => {
  const sub = `e2e-fault-${randomUUID()}`;
  const bearer = await token(sub);
  expect((await call('POST', '/stripe/customer', { token: bearer })).status).toBe(201);
  // The first attempt runs at Stripe and loses its answer; the SDK's own retry (which Stripe would
  // answer by replaying) cannot get through either.
  await fault({ kind: 'drop_after', method: 'POST', path: '/v1/payment_intents', count: 1 });
  await fault({ kind: 'drop_before', method: 'POST', path: '/v1/payment_intents' });
  const key = randomUUID();
  const lost = await call('POST', '/stripe/payment-intent', { token: bearer, body: { amount: 2500, currency: 'usd' }, headers: { 'idempotency-key': key } });
  expect(lost.status).toBe(503);
  await clearFaults();
  const retried = await call('POST', '/stripe/payment-intent', { token: bearer, body: { amount: 2500, currency: 'usd' }, headers: { 'idempotency-key': key } });
  expect(retried.status).toBe(201);
  const local = current().local!;
  // Every intent Stripe holds for this user: one, the one the first attempt made.
  const listed = await fetch(`${local.stripeUrl}/v1/payment_intents/search?query=${encodeURIComponent(`metadata['userId']:'${sub}'`)}`, {
    headers: { authorization: `Bearer ${local.stripeSecretKey}` },
  });
  expect(((await listed.json()) as { data: unknown[] }).data).toHaveLength(1);
});
