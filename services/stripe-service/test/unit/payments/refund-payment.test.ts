import { randomUUID } from 'node:crypto';
import { startStripeSimulator, type StripeSimulator } from '../../../../../scripts/stripe-simulator/index';
import { stripeIdempotencyKey } from '../../../src/application/shared/idempotency-keys';
import { notSentToStripe, paymentsWorld, refusal, stateError } from './payments-world';

const STRIPE_NOW = Date.parse('2026-03-01T12:00:00Z');

let simulator: StripeSimulator;
beforeAll(async () => {
  simulator = await startStripeSimulator({ port: 0, now: () => STRIPE_NOW });
});
afterAll(() => simulator.stop());

/** A refund as Stripe holds it, read past our adapters. */
async function stripeRefund(id: string): Promise<{ metadata: Record<string, string>; reason: string | null; amount: number }> {
  const response = await fetch(`${simulator.url}/v1/refunds/${id}`, { headers: { authorization: 'Bearer sk_test_payments_unit' } });
  return (await response.json()) as { metadata: Record<string, string>; reason: string | null; amount: number };
}

const withoutStripe = <T>(operation: () => Promise<T>) => notSentToStripe(simulator, '/v1/refunds', operation);

const refundKey = (paymentId: string, operationId: string) => stripeIdempotencyKey('refund-create', paymentId, operationId);

const exceeds = (details: Record<string, unknown>) =>
  stateError('refund_exceeds_captured', 'The refund amount is more than what remains of the captured amount.', details);
const notRefundable = (status: string) => stateError('payment_not_refundable', 'Only a succeeded payment can be refunded.', { paymentStatus: status, refundable: 0 });

describe('RefundPayment', () => {
  it('refunds all that remains when no amount is given, tagging the refund with our ids', async () => {
    const w = paymentsWorld(simulator.url);
    const paid = await w.paid({ description: 'Gift', metadata: { orderId: 'r1' } });
    w.clock.advance(2_000);
    const refunded = await w.refundPayment.execute({ userId: w.userId, id: paid.paymentId, operationId: randomUUID() });
    const refund = { id: refunded.refund.id, amount: 2000, status: 'succeeded', reason: null, createdAt: '2026-03-01T12:00:00.000Z' };
    expect(refunded).toEqual({
      refund,
      payment: {
        paymentId: paid.paymentId, paymentIntentId: paid.paymentIntentId, customerId: await w.customerId(),
        status: 'refunded', amount: 2000, currency: 'usd', captureMethod: 'automatic',
        amountCapturable: 0, amountReceived: 2000, amountRefunded: 2000, refunds: [refund],
        description: 'Gift', metadata: { orderId: 'r1' }, lastError: null, cancellationReason: null,
        createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:02.000Z',
      },
    });
    expect(refunded.refund.id).toMatch(/^re_/);
    expect(await stripeRefund(refund.id)).toMatchObject({ amount: 2000, reason: null, metadata: { userId: w.userId, paymentId: paid.paymentId } });
    expect((await w.stored(paid.paymentId)).refunds).toEqual([{ ...refund, reason: undefined }]);
    expect(w.metrics).toEqual(['success 2000 usd']);
  });

  it('refunds in parts up to exactly what remains, with the reason given, and refuses one unit more', async () => {
    const w = paymentsWorld(simulator.url);
    const paid = await w.paid();
    const first = await w.refundPayment.execute({ userId: w.userId, id: paid.paymentId, amount: 500, reason: 'requested_by_customer', operationId: randomUUID() });
    expect(first.refund).toEqual({ id: first.refund.id, amount: 500, status: 'succeeded', reason: 'requested_by_customer', createdAt: '2026-03-01T12:00:00.000Z' });
    expect(first.payment).toMatchObject({ status: 'partially_refunded', amountRefunded: 500, refunds: [first.refund] });
    expect(await stripeRefund(first.refund.id)).toMatchObject({ amount: 500, reason: 'requested_by_customer' });
    expect(await withoutStripe(() => refusal(w.refundPayment.execute({ userId: w.userId, id: paid.paymentIntentId, amount: 1501, operationId: randomUUID() })))).toEqual(
      exceeds({ paymentStatus: 'partially_refunded', refundable: 1500 }),
    );
    const rest = await w.refundPayment.execute({ userId: w.userId, id: paid.paymentIntentId, amount: 1500, operationId: randomUUID() });
    expect(rest.payment).toMatchObject({ status: 'refunded', amountRefunded: 2000, refunds: [first.refund, rest.refund] });
    expect(await refusal(w.refundPayment.execute({ userId: w.userId, id: paid.paymentId, amount: 1, operationId: randomUUID() }))).toEqual(
      stateError('payment_not_refundable', 'Only a succeeded payment can be refunded.', { paymentStatus: 'refunded', refundable: 0 }),
    );
  });

  it('refuses one unit more than the payment before reaching Stripe, and refunds exactly all of it', async () => {
    const w = paymentsWorld(simulator.url);
    const paid = await w.paid({ amount: 777 });
    expect(await withoutStripe(() => refusal(w.refundPayment.execute({ userId: w.userId, id: paid.paymentId, amount: 778, operationId: randomUUID() })))).toEqual(
      exceeds({ paymentStatus: 'succeeded', refundable: 777 }),
    );
    expect((await w.stored(paid.paymentId)).refunds).toEqual([]);
    const all = await w.refundPayment.execute({ userId: w.userId, id: paid.paymentId, amount: 777, operationId: randomUUID() });
    expect(all.payment).toMatchObject({ status: 'refunded', amountRefunded: 777 });
  });

  it('refunds what was captured of a partial capture', async () => {
    const w = paymentsWorld(simulator.url);
    const held = await w.paid({ captureMethod: 'manual' });
    await w.capturePayment.execute({ userId: w.userId, id: held.paymentId, amount: 1200, operationId: randomUUID() });
    const refunded = await w.refundPayment.execute({ userId: w.userId, id: held.paymentId, operationId: randomUUID() });
    expect(refunded.refund.amount).toBe(1200);
    expect(refunded.payment).toMatchObject({ status: 'refunded', amountReceived: 1200, amountRefunded: 1200 });
  });

  it.each(['pending', 'authorized', 'canceled'] as const)('refuses to refund a %s payment', async (status) => {
    const w = paymentsWorld(simulator.url);
    const created = status === 'authorized' ? await w.paid({ captureMethod: 'manual' }) : await w.create();
    if (status === 'canceled') await w.cancelPayment.execute({ userId: w.userId, id: created.paymentId, operationId: randomUUID() });
    expect(await withoutStripe(() => refusal(w.refundPayment.execute({ userId: w.userId, id: created.paymentId, operationId: randomUUID() })))).toEqual(notRefundable(status));
  });

  it('makes one refund for a retry under the same operation id, and another for another operation id', async () => {
    const w = paymentsWorld(simulator.url);
    const paid = await w.paid();
    const operationId = randomUUID();
    const first = await w.refundPayment.execute({ userId: w.userId, id: paid.paymentId, amount: 300, operationId });
    const again = await w.refundPayment.execute({ userId: w.userId, id: paid.paymentId, amount: 300, operationId });
    expect(again.refund).toEqual(first.refund);
    expect(again.payment).toMatchObject({ amountRefunded: 300, refunds: [first.refund] });
    const replay = await w.stripe.refunds.createRefund({
      paymentIntentId: paid.paymentIntentId, amount: 300, metadata: { userId: w.userId, paymentId: paid.paymentId },
      idempotencyKey: stripeIdempotencyKey('refund-create', paid.paymentId, operationId),
    });
    expect(replay.id).toBe(first.refund.id);
    const other = await w.refundPayment.execute({ userId: w.userId, id: paid.paymentId, amount: 300, operationId: randomUUID() });
    expect(other.refund.id).not.toBe(first.refund.id);
    expect(other.payment).toMatchObject({ amountRefunded: 600, refunds: [first.refund, other.refund] });
  });

  it('answers a retried full refund that Stripe made before the first attempt stored it, and refuses another operation', async () => {
    const w = paymentsWorld(simulator.url);
    const paid = await w.paid({ description: 'Gift' });
    const operationId = randomUUID();
    const made = await w.stripe.refunds.createRefund({
      paymentIntentId: paid.paymentIntentId, metadata: { userId: w.userId, paymentId: paid.paymentId }, idempotencyKey: refundKey(paid.paymentId, operationId),
    });
    expect(await w.stored(paid.paymentId)).toMatchObject({ status: 'succeeded', amountRefunded: 0, refunds: [] });
    w.clock.advance(5_000);
    const refunded = await w.refundPayment.execute({ userId: w.userId, id: paid.paymentId, operationId });
    const refund = { id: made.id, amount: 2000, status: 'succeeded', reason: null, createdAt: '2026-03-01T12:00:00.000Z' };
    expect(refunded).toEqual({
      refund,
      payment: {
        paymentId: paid.paymentId, paymentIntentId: paid.paymentIntentId, customerId: await w.customerId(),
        status: 'refunded', amount: 2000, currency: 'usd', captureMethod: 'automatic',
        amountCapturable: 0, amountReceived: 2000, amountRefunded: 2000, refunds: [refund],
        description: 'Gift', metadata: {}, lastError: null, cancellationReason: null,
        createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:05.000Z',
      },
    });
    expect(await w.stored(paid.paymentId)).toMatchObject({ status: 'refunded', amountRefunded: 2000, refunds: [{ ...refund, reason: undefined }] });
    expect(await refusal(w.refundPayment.execute({ userId: w.userId, id: paid.paymentId, operationId: randomUUID() }))).toEqual(notRefundable('refunded'));
    expect(await refusal(w.refundPayment.execute({ userId: w.userId, id: paid.paymentId, amount: 2000, operationId: randomUUID() }))).toEqual(notRefundable('refunded'));
    expect(await withoutStripe(() => refusal(w.refundPayment.execute({ userId: w.userId, id: paid.paymentId, amount: 2001, operationId: randomUUID() })))).toEqual(
      notRefundable('refunded'),
    );
  });

  it('answers a retried partial refund though less than it asks now remains, and refuses another operation, asking Stripe only when it could be that refund', async () => {
    const w = paymentsWorld(simulator.url);
    const paid = await w.paid();
    const operationId = randomUUID();
    const made = await w.stripe.refunds.createRefund({
      paymentIntentId: paid.paymentIntentId, amount: 1500, reason: 'requested_by_customer', metadata: { userId: w.userId, paymentId: paid.paymentId },
      idempotencyKey: refundKey(paid.paymentId, operationId),
    });
    const retried = await w.refundPayment.execute({ userId: w.userId, id: paid.paymentId, amount: 1500, reason: 'requested_by_customer', operationId });
    const refund = { id: made.id, amount: 1500, status: 'succeeded', reason: 'requested_by_customer', createdAt: '2026-03-01T12:00:00.000Z' };
    expect(retried.refund).toEqual(refund);
    expect(retried.payment).toMatchObject({ status: 'partially_refunded', amountReceived: 2000, amountRefunded: 1500, refunds: [refund] });
    expect(await w.stored(paid.paymentId)).toMatchObject({ status: 'partially_refunded', amountRefunded: 1500, refunds: [refund] });
    const refused = exceeds({ paymentStatus: 'partially_refunded', refundable: 500 });
    expect(await refusal(w.refundPayment.execute({ userId: w.userId, id: paid.paymentId, amount: 1500, reason: 'requested_by_customer', operationId: randomUUID() }))).toEqual(refused);
    expect(await refusal(w.refundPayment.execute({ userId: w.userId, id: paid.paymentId, amount: 501, operationId: randomUUID() }))).toEqual(refused);
    expect(await withoutStripe(() => refusal(w.refundPayment.execute({ userId: w.userId, id: paid.paymentId, amount: 1501, operationId: randomUUID() })))).toEqual(refused);
    expect((await w.stripe.intents.retrievePaymentIntent(paid.paymentIntentId))?.amountRefunded).toBe(1500);
    expect(await w.refundPayment.execute({ userId: w.userId, id: paid.paymentId, amount: 1500, reason: 'requested_by_customer', operationId })).toEqual(retried);
  });

  it('answers an outage, not a refusal, when Stripe cannot say whether a refunded payment holds this operation\'s refund', async () => {
    const w = paymentsWorld(simulator.url);
    const paid = await w.paid();
    await w.refundPayment.execute({ userId: w.userId, id: paid.paymentId, operationId: randomUUID() });
    simulator.faults.inject({ kind: 'server_error', method: 'POST', path: '/v1/refunds', count: 1 });
    expect(await refusal(w.refundPayment.execute({ userId: w.userId, id: paid.paymentId, operationId: randomUUID() }))).toMatchObject({
      kind: 'unavailable', code: 'payment_provider_unavailable',
    });
  });

  it('answers not found for another user\'s payment, and refunds nothing', async () => {
    const w = paymentsWorld(simulator.url);
    const paid = await w.paid();
    expect(await refusal(w.refundPayment.execute({ userId: 'someone-else', id: paid.paymentId, operationId: randomUUID() }))).toMatchObject({ code: 'payment_not_found' });
    expect(await refusal(w.refundPayment.execute({ userId: 'someone-else', id: paid.paymentIntentId, operationId: randomUUID() }))).toMatchObject({ code: 'payment_not_found' });
    expect((await w.getPayment.execute({ userId: w.userId, id: paid.paymentId })).amountRefunded).toBe(0);
  });
});
