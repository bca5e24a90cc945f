import { randomUUID } from 'node:crypto';
import { startStripeSimulator, type StripeSimulator } from '../../../../../scripts/stripe-simulator/index';
import { stripeIdempotencyKey } from '../../../src/application/shared/idempotency-keys';
import { samplePayment } from '../../support/sample-payment';
import { notSentToStripe, paymentsWorld, refusal, stateError, type PaymentsWorld } from './payments-world';

let simulator: StripeSimulator;
beforeAll(async () => {
  simulator = await startStripeSimulator({ port: 0 });
});
afterAll(() => simulator.stop());

/** A manual-capture payment of 2000 usd, authorized with a card. */
async function authorized(w: PaymentsWorld) {
  const created = await w.paid({ captureMethod: 'manual', description: 'Hold', metadata: { orderId: 'h1' } });
  expect(await w.stored(created.paymentId)).toMatchObject({ status: 'authorized', amountCapturable: 2000 });
  return created;
}

const withoutStripe = <T>(intentId: string, operation: () => Promise<T>) => notSentToStripe(simulator, `/v1/payment_intents/${intentId}/capture`, operation);

const captureKey = (paymentId: string, operationId: string) => stripeIdempotencyKey('payment-intent-capture', paymentId, operationId);

const notCapturable = (details: Record<string, unknown>) =>
  stateError('payment_not_capturable', 'Only an authorized payment (captureMethod manual, not yet captured) can be captured.', details);

describe('CapturePaymentIntent', () => {
  it('captures the whole authorization when no amount is given', async () => {
    const w = paymentsWorld(simulator.url);
    const created = await authorized(w);
    w.clock.advance(3_000);
    const view = await w.capturePayment.execute({ userId: w.userId, id: created.paymentId, operationId: randomUUID() });
    expect(view).toEqual({
      paymentId: created.paymentId, paymentIntentId: created.paymentIntentId, customerId: await w.customerId(),
      status: 'succeeded', amount: 2000, currency: 'usd', captureMethod: 'manual',
      amountCapturable: 0, amountReceived: 2000, amountRefunded: 0, refunds: [],
      description: 'Hold', metadata: { orderId: 'h1' }, lastError: null, cancellationReason: null,
      createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:03.000Z',
    });
    expect(await w.stored(created.paymentId)).toEqual(expect.objectContaining({ status: 'succeeded', version: 3 }));
    expect(w.metrics).toEqual(['success 2000 usd']);
  });

  it('captures exactly the amount capturable', async () => {
    const w = paymentsWorld(simulator.url);
    const created = await authorized(w);
    const view = await w.capturePayment.execute({ userId: w.userId, id: created.paymentIntentId, amount: 2000, operationId: randomUUID() });
    expect(view).toMatchObject({ status: 'succeeded', amountCapturable: 0, amountReceived: 2000, amountRefunded: 0 });
  });

  it('captures part of the authorization, releasing the rest, and counts what was received', async () => {
    const w = paymentsWorld(simulator.url);
    const created = await authorized(w);
    const view = await w.capturePayment.execute({ userId: w.userId, id: created.paymentId, amount: 1500, operationId: randomUUID() });
    expect(view).toMatchObject({ status: 'succeeded', amount: 2000, amountCapturable: 0, amountReceived: 1500, amountRefunded: 0 });
    expect(w.metrics).toEqual(['success 1500 usd']);
  });

  it('refuses one unit more than the amount capturable, before reaching Stripe', async () => {
    const w = paymentsWorld(simulator.url);
    const created = await authorized(w);
    expect(await withoutStripe(created.paymentIntentId, () => refusal(w.capturePayment.execute({ userId: w.userId, id: created.paymentId, amount: 2001, operationId: randomUUID() })))).toEqual(
      stateError('capture_exceeds_authorized', 'The capture amount is more than the authorized amount.', { paymentStatus: 'authorized', amountCapturable: 2000 }),
    );
    expect((await w.stripe.intents.retrievePaymentIntent(created.paymentIntentId))?.status).toBe('authorized');
  });

  it('refuses to capture a payment that is not authorized, naming its status and what is capturable', async () => {
    const w = paymentsWorld(simulator.url);
    const pending = await w.create({ captureMethod: 'manual' });
    expect(await withoutStripe(pending.paymentIntentId, () => refusal(w.capturePayment.execute({ userId: w.userId, id: pending.paymentId, operationId: randomUUID() })))).toEqual(
      notCapturable({ paymentStatus: 'pending', amountCapturable: 0 }),
    );
    // Paid at once: no capture of ours can have made it so, so Stripe is not asked.
    const paid = await w.paid();
    expect(await withoutStripe(paid.paymentIntentId, () => refusal(w.capturePayment.execute({ userId: w.userId, id: paid.paymentId, operationId: randomUUID() })))).toEqual(
      notCapturable({ paymentStatus: 'succeeded', amountCapturable: 0 }),
    );
  });

  it('reads the intent first: an authorization captured behind the record\'s back is not captured again', async () => {
    const w = paymentsWorld(simulator.url);
    const created = await authorized(w);
    await w.stripe.intents.capturePaymentIntent(created.paymentIntentId, { idempotencyKey: randomUUID() });
    expect(await refusal(w.capturePayment.execute({ userId: w.userId, id: created.paymentId, operationId: randomUUID() }))).toEqual(
      notCapturable({ paymentStatus: 'succeeded', amountCapturable: 0 }),
    );
  });

  it('captures under a key of the payment and the operation, so Stripe replays a retry of that capture only', async () => {
    const w = paymentsWorld(simulator.url);
    const created = await authorized(w);
    const operationId = randomUUID();
    const view = await w.capturePayment.execute({ userId: w.userId, id: created.paymentId, amount: 1200, operationId });
    const replay = await w.stripe.intents.capturePaymentIntent(created.paymentIntentId, {
      amountToCapture: 1200, idempotencyKey: stripeIdempotencyKey('payment-intent-capture', created.paymentId, operationId),
    });
    expect(replay).toMatchObject({ status: 'succeeded', amountReceived: view.amountReceived });
    expect(await refusal(w.stripe.intents.capturePaymentIntent(created.paymentIntentId, {
      amountToCapture: 1200, idempotencyKey: stripeIdempotencyKey('payment-intent-capture', created.paymentId, randomUUID()),
    }))).toMatchObject({ code: 'payment_state_conflict' });
  });

  it('answers a retried whole capture that Stripe made before the first attempt stored it, and refuses another operation', async () => {
    const w = paymentsWorld(simulator.url);
    const created = await authorized(w);
    const operationId = randomUUID();
    await w.stripe.intents.capturePaymentIntent(created.paymentIntentId, { idempotencyKey: captureKey(created.paymentId, operationId) });
    expect(await w.stored(created.paymentId)).toMatchObject({ status: 'authorized', amountCapturable: 2000 });
    w.clock.advance(4_000);
    expect(await w.capturePayment.execute({ userId: w.userId, id: created.paymentId, operationId })).toEqual({
      paymentId: created.paymentId, paymentIntentId: created.paymentIntentId, customerId: await w.customerId(),
      status: 'succeeded', amount: 2000, currency: 'usd', captureMethod: 'manual',
      amountCapturable: 0, amountReceived: 2000, amountRefunded: 0, refunds: [],
      description: 'Hold', metadata: { orderId: 'h1' }, lastError: null, cancellationReason: null,
      createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:04.000Z',
    });
    expect(await w.stored(created.paymentId)).toMatchObject({ status: 'succeeded', intentStatus: 'succeeded', amountCapturable: 0, amountReceived: 2000 });
    expect(await refusal(w.capturePayment.execute({ userId: w.userId, id: created.paymentId, operationId: randomUUID() }))).toEqual(
      notCapturable({ paymentStatus: 'succeeded', amountCapturable: 0 }),
    );
    expect(w.metrics).toEqual(['success 2000 usd']);
  });

  it('answers a retried partial capture that Stripe made, asks Stripe for another operation only when it could be that capture', async () => {
    const w = paymentsWorld(simulator.url);
    const created = await authorized(w);
    const operationId = randomUUID();
    await w.stripe.intents.capturePaymentIntent(created.paymentIntentId, { amountToCapture: 1500, idempotencyKey: captureKey(created.paymentId, operationId) });
    const view = await w.capturePayment.execute({ userId: w.userId, id: created.paymentId, amount: 1500, operationId });
    expect(view).toMatchObject({ status: 'succeeded', amount: 2000, amountCapturable: 0, amountReceived: 1500, amountRefunded: 0 });
    expect(await w.stored(created.paymentId)).toMatchObject({ status: 'succeeded', amountReceived: 1500, amountCapturable: 0 });
    const refused = notCapturable({ paymentStatus: 'succeeded', amountCapturable: 0 });
    expect(await refusal(w.capturePayment.execute({ userId: w.userId, id: created.paymentId, amount: 1500, operationId: randomUUID() }))).toEqual(refused);
    for (const amount of [1499, 1501]) {
      expect(await withoutStripe(created.paymentIntentId, () => refusal(w.capturePayment.execute({ userId: w.userId, id: created.paymentId, amount, operationId: randomUUID() })))).toEqual(refused);
    }
    expect(await w.capturePayment.execute({ userId: w.userId, id: created.paymentId, amount: 1500, operationId })).toEqual(view);
  });

  it('answers an outage, not a refusal, when Stripe cannot say whether a captured payment is this operation\'s capture', async () => {
    const w = paymentsWorld(simulator.url);
    const created = await authorized(w);
    await w.stripe.intents.capturePaymentIntent(created.paymentIntentId, { idempotencyKey: captureKey(created.paymentId, randomUUID()) });
    simulator.faults.inject({ kind: 'server_error', method: 'POST', path: `/v1/payment_intents/${created.paymentIntentId}/capture`, count: 1 });
    expect(await refusal(w.capturePayment.execute({ userId: w.userId, id: created.paymentId, operationId: randomUUID() }))).toMatchObject({
      kind: 'unavailable', code: 'payment_provider_unavailable',
    });
  });

  it('answers not found for another user\'s payment', async () => {
    const w = paymentsWorld(simulator.url);
    const created = await authorized(w);
    expect(await refusal(w.capturePayment.execute({ userId: 'someone-else', id: created.paymentIntentId, operationId: randomUUID() }))).toMatchObject({ code: 'payment_not_found' });
  });
});

const alreadySucceeded = (status: string) => stateError('payment_already_succeeded', 'A succeeded payment cannot be canceled; refund it instead.', { paymentStatus: status });

describe('CancelPaymentIntent', () => {
  it('cancels a pending payment with the reason given', async () => {
    const w = paymentsWorld(simulator.url);
    const created = await w.create({ description: 'Order 5' });
    w.clock.advance(7_000);
    const view = await w.cancelPayment.execute({ userId: w.userId, id: created.paymentId, reason: 'requested_by_customer', operationId: randomUUID() });
    expect(view).toEqual({
      paymentId: created.paymentId, paymentIntentId: created.paymentIntentId, customerId: await w.customerId(),
      status: 'canceled', amount: 2000, currency: 'usd', captureMethod: 'automatic',
      amountCapturable: 0, amountReceived: 0, amountRefunded: 0, refunds: [],
      description: 'Order 5', metadata: {}, lastError: null, cancellationReason: 'requested_by_customer',
      createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:07.000Z',
    });
    expect((await w.stripe.intents.retrievePaymentIntent(created.paymentIntentId))?.cancellationReason).toBe('requested_by_customer');
    expect(w.metrics).toEqual([]);
  });

  it('cancels without a reason, and releases an authorization', async () => {
    const w = paymentsWorld(simulator.url);
    const created = await authorized(w);
    const view = await w.cancelPayment.execute({ userId: w.userId, id: created.paymentIntentId, operationId: randomUUID() });
    expect(view).toMatchObject({ status: 'canceled', amountCapturable: 0, amountReceived: 0, cancellationReason: null });
    expect((await w.stripe.intents.retrievePaymentIntent(created.paymentIntentId))?.status).toBe('canceled');
  });

  it('answers a canceled payment as it is, without asking Stripe to cancel it again', async () => {
    const w = paymentsWorld(simulator.url);
    const created = await w.create();
    const first = await w.cancelPayment.execute({ userId: w.userId, id: created.paymentId, reason: 'duplicate', operationId: randomUUID() });
    const version = (await w.stored(created.paymentId)).version;
    w.clock.advance(1_000);
    expect(await w.cancelPayment.execute({ userId: w.userId, id: created.paymentId, operationId: randomUUID() })).toEqual(first);
    expect((await w.stored(created.paymentId)).version).toBe(version);
  });

  it('refuses to cancel a payment that succeeded, in part refunded or not', async () => {
    const w = paymentsWorld(simulator.url);
    const paid = await w.paid();
    expect(await refusal(w.cancelPayment.execute({ userId: w.userId, id: paid.paymentId, operationId: randomUUID() }))).toEqual(alreadySucceeded('succeeded'));
    await w.refundPayment.execute({ userId: w.userId, id: paid.paymentId, amount: 100, operationId: randomUUID() });
    expect(await refusal(w.cancelPayment.execute({ userId: w.userId, id: paid.paymentId, operationId: randomUUID() }))).toEqual(alreadySucceeded('partially_refunded'));
    expect((await w.stripe.intents.retrievePaymentIntent(paid.paymentIntentId))?.status).toBe('succeeded');
  });

  it('refuses to cancel a payment being processed', async () => {
    const w = paymentsWorld(simulator.url);
    // Cards never stay in processing on the simulator; a record whose intent Stripe does not report keeps its status.
    const processing = samplePayment(w.userId, { stripePaymentIntentId: 'pi_processing00000000000000', status: 'processing', intentStatus: 'processing' });
    await w.payments.create(processing);
    expect(await refusal(w.cancelPayment.execute({ userId: w.userId, id: processing.paymentId, operationId: randomUUID() }))).toEqual(
      stateError('payment_processing', 'The payment is being processed and cannot be canceled now.', { paymentStatus: 'processing' }),
    );
  });

  it('cancels under a key of the payment and the operation', async () => {
    const w = paymentsWorld(simulator.url);
    const created = await w.create();
    const operationId = randomUUID();
    await w.cancelPayment.execute({ userId: w.userId, id: created.paymentId, reason: 'abandoned', operationId });
    const replay = await w.stripe.intents.cancelPaymentIntent(created.paymentIntentId, {
      reason: 'abandoned', idempotencyKey: stripeIdempotencyKey('payment-intent-cancel', created.paymentId, operationId),
    });
    expect(replay).toMatchObject({ status: 'canceled', cancellationReason: 'abandoned' });
    expect(await refusal(w.stripe.intents.cancelPaymentIntent(created.paymentIntentId, {
      reason: 'abandoned', idempotencyKey: stripeIdempotencyKey('payment-intent-cancel', created.paymentId, randomUUID()),
    }))).toMatchObject({ code: 'payment_state_conflict' });
  });

  it('answers not found for another user\'s payment', async () => {
    const w = paymentsWorld(simulator.url);
    const created = await w.create();
    expect(await refusal(w.cancelPayment.execute({ userId: 'someone-else', id: created.paymentId, operationId: randomUUID() }))).toMatchObject({ code: 'payment_not_found' });
    expect((await w.stored(created.paymentId)).status).toBe('pending');
  });
});
