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

it('answers a capture and a refund Stripe made but whose answer was lost, on the retry with the same key, and refuses them to another key', async () => {
  const bearer = await token();
  const created = await call('POST', '/stripe/payment-intent', { token: bearer, body: { amount: 3000, currency: 'usd', captureMethod: 'manual' } });
  const id = created.body?.paymentIntentId as string;
  expect((await call('POST', `/stripe/payment-intent/${id}/confirm`, { token: bearer, body: { paymentMethod: 'pm_card_visa' } })).body).toMatchObject({ status: 'authorized' });
  // Each first attempt runs at Stripe and loses its answer, and so does the SDK's own retry.
  const lost = async (path: string, request: () => ReturnType<typeof call>) => {
    await fault({ kind: 'drop_after', method: 'POST', path, count: 1 });
    await fault({ kind: 'drop_before', method: 'POST', path });
    expect((await request()).status).toBe(503);
    await clearFaults();
  };

  const captureKey = randomUUID();
  const capture = () => call('POST', `/stripe/payment-intent/${id}/capture`, { token: bearer, body: { amount: 2000 }, headers: { 'idempotency-key': captureKey } });
  await lost(`/v1/payment_intents/${id}/capture`, capture);
  const captured = await capture();
  expect(captured.status).toBe(200);
  expect(captured.body).toMatchObject({ status: 'succeeded', amountReceived: 2000, amountCapturable: 0 });
  const otherCapture = await call('POST', `/stripe/payment-intent/${id}/capture`, { token: bearer, body: { amount: 2000 }, headers: { 'idempotency-key': randomUUID() } });
  expect(otherCapture.status).toBe(409);
  expect(otherCapture.body).toMatchObject({ code: 'payment_not_capturable', amountCapturable: 0 });

  const refundKey = randomUUID();
  const refund = () => call('POST', `/stripe/payment-intent/${id}/refund`, { token: bearer, body: { amount: 1500 }, headers: { 'idempotency-key': refundKey } });
  await lost('/v1/refunds', refund);
  const refunded = await refund();
  expect(refunded.status).toBe(201);
  expect(refunded.body).toMatchObject({ refund: { amount: 1500, status: 'succeeded' }, payment: { status: 'partially_refunded', amountRefunded: 1500 } });
  const otherRefund = await call('POST', `/stripe/payment-intent/${id}/refund`, { token: bearer, body: { amount: 1500 }, headers: { 'idempotency-key': randomUUID() } });
  expect(otherRefund.status).toBe(409);
  expect(otherRefund.body).toMatchObject({ code: 'refund_exceeds_captured', refundable: 500 });
  expect((await call('GET', `/stripe/payment-intent/${id}`, { token: bearer })).body).toMatchObject({ amountReceived: 2000, amountRefunded: 1500, refunds: [{ amount: 1500 }] });
});
