import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { httpClient } from './http-client';
import { useTarget } from './target';

const current = useTarget();

const call = httpClient(current);

async function newUser() {
  const sub = `e2e-pay-${randomUUID()}`;
  return { sub, token: await current().tokenFor({ sub, email: `${sub}@example.com` }) };
}

async function create(token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return call('POST', '/stripe/payment-intent', { token, body, headers });
}

describe('seed 000: create a payment by amount, then confirm it or cancel it', () => {
  it('creates a pending payment, confirms it with a card, and it succeeds', async () => {
    const { token } = await newUser();
    const created = await create(token, { amount: 2500, currency: 'USD', description: 'Order 42', metadata: { orderId: '42' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ amount: 2500, currency: 'usd', status: 'pending', captureMethod: 'automatic', paymentIntentId: expect.stringMatching(/^pi_/), paymentId: expect.stringMatching(/^pay_/) });
    expect(created.body?.clientSecret).toMatch(/_secret_/);
    const id = created.body?.paymentIntentId as string;
    const confirmed = await call('POST', `/stripe/payment-intent/${id}/confirm`, { token, body: { paymentMethod: 'pm_card_visa' } });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ paymentIntentId: id, status: 'succeeded', nextAction: null });
    const read = await call('GET', `/stripe/payment-intent/${id}`, { token });
    expect(read.body).toMatchObject({ status: 'succeeded', amountReceived: 2500, description: 'Order 42', metadata: { orderId: '42' } });
    const byOurId = await call('GET', `/stripe/payment-intent/${created.body?.paymentId as string}`, { token });
    expect(byOurId.body).toMatchObject({ paymentIntentId: id, status: 'succeeded' });
  });

  it('cancels a pending payment, and refuses to cancel a succeeded one', async () => {
    const { token } = await newUser();
    const created = await create(token, { amount: 1000, currency: 'eur' });
    const id = created.body?.paymentIntentId as string;
    const canceled = await call('POST', `/stripe/payment-intent/${id}/cancel`, { token, body: { reason: 'requested_by_customer' } });
    expect(canceled.status).toBe(200);
    expect(canceled.body).toMatchObject({ status: 'canceled', cancellationReason: 'requested_by_customer' });
    expect((await call('POST', `/stripe/payment-intent/${id}/cancel`, { token })).body).toMatchObject({ status: 'canceled' });

    const paid = await create(token, { amount: 1000, currency: 'eur' });
    const paidId = paid.body?.paymentIntentId as string;
    await call('POST', `/stripe/payment-intent/${paidId}/confirm`, { token, body: { paymentMethod: 'pm_card_visa' } });
    const refused = await call('POST', `/stripe/payment-intent/${paidId}/cancel`, { token });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'payment_already_succeeded', paymentStatus: 'succeeded' });
  });

  it('answers a declined card with 402 and its decline code, and records the failure', async () => {
    const { token } = await newUser();
    const created = await create(token, { amount: 1000, currency: 'usd' });
    const id = created.body?.paymentIntentId as string;
    const declined = await call('POST', `/stripe/payment-intent/${id}/confirm`, { token, body: { paymentMethod: 'pm_card_chargeDeclinedInsufficientFunds' } });
    expect(declined.status).toBe(402);
    expect(declined.headers.get('content-type')).toBe('application/problem+json');
    expect(declined.body).toMatchObject({ code: 'card_declined', declineCode: 'insufficient_funds' });
    expect((await call('GET', `/stripe/payment-intent/${id}`, { token })).body).toMatchObject({ status: 'failed', lastError: { declineCode: 'insufficient_funds' } });
    const retried = await call('POST', `/stripe/payment-intent/${id}/confirm`, { token, body: { paymentMethod: 'pm_card_visa' } });
    expect(retried.body).toMatchObject({ status: 'succeeded' });
  });

  it('asks for 3-D Secure with a next action', async () => {
    const { token } = await newUser();
    const created = await create(token, { amount: 1000, currency: 'usd' });
    const confirmed = await call('POST', `/stripe/payment-intent/${created.body?.paymentIntentId as string}/confirm`, { token, body: { paymentMethod: 'pm_card_authenticationRequired' } });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'requires_action', nextAction: { type: expect.stringMatching(/use_stripe_sdk|redirect_to_url/) } });
  });
});

describe('seed 001: pre-authorize, capture part, refund in parts', () => {
  it('captures 6000 of 10000, refunds 2000 then 3000, and refuses to refund more than remains', async () => {
    const { token } = await newUser();
    const created = await create(token, { amount: 10_000, currency: 'usd', captureMethod: 'manual' });
    const id = created.body?.paymentIntentId as string;
    const authorized = await call('POST', `/stripe/payment-intent/${id}/confirm`, { token, body: { paymentMethod: 'pm_card_visa' } });
    expect(authorized.body).toMatchObject({ status: 'authorized' });

    const over = await call('POST', `/stripe/payment-intent/${id}/capture`, { token, body: { amount: 10_001 } });
    expect(over.status).toBe(409);
    expect(over.body).toMatchObject({ code: 'capture_exceeds_authorized', status: 409, paymentStatus: 'authorized', amountCapturable: 10_000 });

    const captured = await call('POST', `/stripe/payment-intent/${id}/capture`, { token, body: { amount: 6000 } });
    expect(captured.status).toBe(200);
    expect(captured.body).toMatchObject({ status: 'succeeded', amountReceived: 6000, amountCapturable: 0, amountRefunded: 0 });
    expect((await call('POST', `/stripe/payment-intent/${id}/capture`, { token })).body).toMatchObject({ code: 'payment_not_capturable' });

    const first = await call('POST', `/stripe/payment-intent/${id}/refund`, { token, body: { amount: 2000, reason: 'requested_by_customer' } });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ refund: { amount: 2000, status: 'succeeded', reason: 'requested_by_customer' }, payment: { status: 'partially_refunded', amountRefunded: 2000 } });
    const second = await call('POST', `/stripe/payment-intent/${id}/refund`, { token, body: { amount: 3000 } });
    expect(second.body).toMatchObject({ payment: { status: 'partially_refunded', amountRefunded: 5000 } });

    const tooMuch = await call('POST', `/stripe/payment-intent/${id}/refund`, { token, body: { amount: 1001 } });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body).toMatchObject({ code: 'refund_exceeds_captured', status: 409, paymentStatus: 'partially_refunded', refundable: 1000 });
    const rest = await call('POST', `/stripe/payment-intent/${id}/refund`, { token });
    expect(rest.body).toMatchObject({ refund: { amount: 1000 }, payment: { status: 'refunded', amountRefunded: 6000 } });
    expect((await call('GET', `/stripe/payment-intent/${id}`, { token })).body?.refunds).toHaveLength(3);
  });

  it('releases a pre-authorization by canceling it', async () => {
    const { token } = await newUser();
    const created = await create(token, { amount: 5000, currency: 'gbp', captureMethod: 'manual' });
    const id = created.body?.paymentIntentId as string;
    await call('POST', `/stripe/payment-intent/${id}/confirm`, { token, body: { paymentMethod: 'pm_card_visa' } });
    const released = await call('POST', `/stripe/payment-intent/${id}/cancel`, { token });
    expect(released.body).toMatchObject({ status: 'canceled', amountReceived: 0 });
  });
});

describe('seed 004: the caller\'s payment history', () => {
  it('lists only the caller\'s payments, newest first, in pages, filtered by status', async () => {
    const { token } = await newUser();
    const other = await newUser();
    await create(other.token, { amount: 999, currency: 'usd' });
    const made: string[] = [];
    for (let i = 0; i < 5; i += 1) made.push((await create(token, { amount: 1000 + i, currency: 'usd' })).body?.paymentId as string);
    await call('POST', `/stripe/payment-intent/${made[1]}/confirm`, { token, body: { paymentMethod: 'pm_card_visa' } });
    const first = await call('GET', '/stripe/payments?limit=2', { token });
    expect(first.status).toBe(200);
    const ids = (page: typeof first) => (page.body?.payments as { paymentId: string }[]).map((p) => p.paymentId);
    expect(ids(first)).toEqual([made[4], made[3]]);
    const second = await call('GET', `/stripe/payments?limit=2&cursor=${first.body?.nextCursor as string}`, { token });
    expect(ids(second)).toEqual([made[2], made[1]]);
    const third = await call('GET', `/stripe/payments?limit=2&cursor=${second.body?.nextCursor as string}`, { token });
    expect(ids(third)).toEqual([made[0]]);
    expect(third.body?.nextCursor).toBeNull();
    const succeeded = await call('GET', '/stripe/payments?status=succeeded', { token });
    expect(ids(succeeded)).toEqual([made[1]]);
    expect((await call('GET', '/stripe/payments?cursor=bogus', { token })).body).toMatchObject({ status: 400, code: 'invalid_cursor' });
    expect((await call('GET', '/stripe/payments?limit=0', { token })).status).toBe(400);
    expect((await call('GET', '/stripe/payments?colour=red', { token })).status).toBe(400);
  });
});

describe('ownership', () => {
  it('answers 404 for another user\'s payment, by either id, on every route, and changes nothing', async () => {
    const owner = await newUser();
    const intruder = await newUser();
    const created = await create(owner.token, { amount: 3000, currency: 'usd', captureMethod: 'manual' });
    const ids = [created.body?.paymentIntentId as string, created.body?.paymentId as string];
    await call('POST', `/stripe/payment-intent/${ids[0]}/confirm`, { token: owner.token, body: { paymentMethod: 'pm_card_visa' } });
    for (const id of [...ids, 'pi_doesnotexist', 'not-an-id']) {
      const answers = [
        await call('GET', `/stripe/payment-intent/${id}`, { token: intruder.token }),
        await call('POST', `/stripe/payment-intent/${id}/confirm`, { token: intruder.token, body: { paymentMethod: 'pm_card_visa' } }),
        await call('POST', `/stripe/payment-intent/${id}/capture`, { token: intruder.token }),
        await call('POST', `/stripe/payment-intent/${id}/cancel`, { token: intruder.token }),
        await call('POST', `/stripe/payment-intent/${id}/refund`, { token: intruder.token }),
      ];
      for (const answer of answers) {
        expect(answer.status).toBe(404);
        expect(answer.body).toMatchObject({ code: 'payment_not_found' });
        expect(JSON.stringify(answer.body)).not.toContain('3000');
      }
    }
    expect((await call('GET', `/stripe/payment-intent/${ids[0]}`, { token: owner.token })).body).toMatchObject({ status: 'authorized', amountCapturable: 3000 });
    expect(((await call('GET', '/stripe/payments', { token: intruder.token })).body?.payments as unknown[]).length).toBe(0);
  });
});

describe('Idempotency-Key', () => {
  it('replays the first answer for the same key and body, refuses another body with 422, and is scoped per user', async () => {
    const { token } = await newUser();
    const key = randomUUID();
    const first = await create(token, { amount: 1500, currency: 'usd' }, { 'idempotency-key': key });
    const again = await create(token, { currency: 'usd', amount: 1500 }, { 'idempotency-key': key });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const different = await create(token, { amount: 1600, currency: 'usd' }, { 'idempotency-key': key });
    expect(different.status).toBe(422);
    expect(different.body).toMatchObject({ code: 'idempotency_key_reused' });
    const someoneElse = await newUser();
    const theirs = await create(someoneElse.token, { amount: 1500, currency: 'usd' }, { 'idempotency-key': key });
    expect(theirs.status).toBe(201);
    expect(theirs.body?.paymentIntentId).not.toBe(first.body?.paymentIntentId);
  });

  it('makes one payment and one Stripe intent for 10 concurrent requests with one key', async () => {
    const { sub, token } = await newUser();
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 10 }, () => create(token, { amount: 1700, currency: 'usd' }, { 'idempotency-key': key })));
    const ok = answers.filter((a) => a.status === 201);
    expect(ok.length).toBeGreaterThan(0);
    for (const answer of answers.filter((a) => a.status !== 201)) {
      expect(answer.status).toBe(409);
      expect(answer.headers.get('retry-after')).toBe('1');
    }
    expect(new Set(ok.map((a) => a.body?.paymentIntentId)).size).toBe(1);
    expect(((await call('GET', '/stripe/payments', { token })).body?.payments as unknown[]).length).toBe(1);
    const local = current().local;
    if (!local) {
      process.stderr.write('deployed stage: the Stripe-side count of intents for one key is checked on the local stack only\n');
      return;
    }
    const stripe = new Stripe(local.stripeSecretKey, { host: new URL(local.stripeUrl).hostname, port: new URL(local.stripeUrl).port, protocol: 'http' });
    const intents = await stripe.paymentIntents.search({ query: `metadata['userId']:'${sub}'` });
    expect(intents.data).toHaveLength(1);
  });

  it('replays a refund under its key instead of refunding twice', async () => {
    const { token } = await newUser();
    const created = await create(token, { amount: 4000, currency: 'usd' });
    const id = created.body?.paymentIntentId as string;
    await call('POST', `/stripe/payment-intent/${id}/confirm`, { token, body: { paymentMethod: 'pm_card_visa' } });
    const key = randomUUID();
    const first = await call('POST', `/stripe/payment-intent/${id}/refund`, { token, body: { amount: 1000 }, headers: { 'idempotency-key': key } });
    const again = await call('POST', `/stripe/payment-intent/${id}/refund`, { token, body: { amount: 1000 }, headers: { 'idempotency-key': key } });
    expect(again.body).toEqual(first.body);
    expect((await call('GET', `/stripe/payment-intent/${id}`, { token })).body).toMatchObject({ amountRefunded: 1000 });
  });
});

describe('validation', () => {
  it.each([
    ['an unknown field', { amount: 1000, currency: 'usd', colour: 'red' }, 'colour'],
    ['a missing amount', { currency: 'usd' }, 'amount'],
    ['a fractional amount', { amount: 10.5, currency: 'usd' }, 'amount'],
    ['a negative amount', { amount: -5, currency: 'usd' }, 'amount'],
    ['an amount as a string', { amount: '1000', currency: 'usd' }, 'amount'],
    ['an amount above Stripe\'s maximum', { amount: 100_000_000, currency: 'usd' }, 'amount'],
    ['an amount below the currency minimum', { amount: 49, currency: 'usd' }, 'amount'],
    ['an unsupported currency', { amount: 1000, currency: 'zzz' }, 'currency'],
    ['a bad capture method', { amount: 1000, currency: 'usd', captureMethod: 'later' }, 'captureMethod'],
    ['metadata with a non-string value', { amount: 1000, currency: 'usd', metadata: { n: 1 } }, 'metadata.n'],
    ['reserved metadata', { amount: 1000, currency: 'usd', metadata: { userId: 'someone' } }, 'metadata.userId'],
  ])('refuses %s with 400 naming the field', async (_what, body, field) => {
    const { token } = await newUser();
    const answer = await create(token, body);
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    expect(JSON.stringify(answer.body)).toContain(field);
  });

  it('refuses a JSON array, a non-JSON media type and malformed JSON', async () => {
    const { token } = await newUser();
    expect((await create(token, [{ amount: 1000 }] as unknown as Record<string, unknown>)).status).toBe(400);
    expect((await call('POST', '/stripe/payment-intent', { token, body: 'amount=1000', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(415);
    expect((await call('POST', '/stripe/payment-intent', { token, body: '{"amount":', headers: { 'content-type': 'application/json' } })).body).toMatchObject({ code: 'malformed_json' });
  });

  it('takes zero-decimal currencies in their own units', async () => {
    const { token } = await newUser();
    const yen = await create(token, { amount: 500, currency: 'jpy' });
    expect(yen.status).toBe(201);
    expect(yen.body).toMatchObject({ amount: 500, currency: 'jpy' });
    expect((await create(token, { amount: 49, currency: 'jpy' })).status).toBe(400);
  });

  it('needs a token', async () => {
    expect((await call('POST', '/stripe/payment-intent', { body: { amount: 1000, currency: 'usd' } })).status).toBe(401);
    expect((await call('GET', '/stripe/payments')).status).toBe(401);
  });
});
