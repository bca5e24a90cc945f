import { randomUUID } from 'node:crypto';
import { startStripeSimulator, type StripeSimulator } from '../../../../../scripts/stripe-simulator/index';
import { stripeIdempotencyKey } from '../../../src/application/shared/idempotency-keys';
import { paymentsWorld, refusal } from './payments-world';

let simulator: StripeSimulator;
beforeAll(async () => {
  simulator = await startStripeSimulator({ port: 0 });
});
afterAll(() => simulator.stop());

const notConfirmable = (status: string) => ({
  name: 'PaymentStateError', kind: 'conflict', code: 'payment_not_confirmable', message: 'The payment is not waiting for a confirmation.', details: { paymentStatus: status },
});

describe('ConfirmPaymentIntent', () => {
  it('confirms with a card that pays, stores the outcome and counts the success once', async () => {
    const w = paymentsWorld(simulator.url);
    const created = await w.create({ amount: 4321, currency: 'eur' });
    w.clock.advance(5_000);
    const confirmed = await w.confirmPayment.execute({ userId: w.userId, id: created.paymentIntentId, paymentMethod: 'pm_card_visa', operationId: randomUUID() });
    expect(confirmed).toEqual({ paymentId: created.paymentId, paymentIntentId: created.paymentIntentId, status: 'succeeded', nextAction: null });
    expect(await w.stored(created.paymentId)).toMatchObject({ status: 'succeeded', intentStatus: 'succeeded', amountReceived: 4321, updatedAt: '2026-01-01T00:00:05.000Z', version: 2 });
    expect(w.metrics).toEqual(['success 4321 eur']);
  });

  it('answers the 3-D Secure action the payer must complete, and the payment waits for it', async () => {
    const w = paymentsWorld(simulator.url);
    const created = await w.create();
    const confirmed = await w.confirmPayment.execute({ userId: w.userId, id: created.paymentId, paymentMethod: 'pm_card_threeDSecure2Required', operationId: randomUUID() });
    expect(confirmed).toEqual({ paymentId: created.paymentId, paymentIntentId: created.paymentIntentId, status: 'requires_action', nextAction: { type: 'use_stripe_sdk', redirectUrl: null } });
    expect((await w.stored(created.paymentId)).status).toBe('requires_action');
    expect(w.metrics).toEqual([]);
  });

  it('reports a decline with its codes after recording the failure, and a new card may then be tried', async () => {
    const w = paymentsWorld(simulator.url);
    const created = await w.create();
    w.clock.advance(1_000);
    expect(await refusal(w.confirmPayment.execute({ userId: w.userId, id: created.paymentId, paymentMethod: 'pm_card_chargeDeclinedInsufficientFunds', operationId: randomUUID() }))).toEqual({
      name: 'DomainError', kind: 'payment_required', code: 'card_declined', message: 'Your card has insufficient funds.',
      details: { declineCode: 'insufficient_funds', stripeCode: 'card_declined' },
    });
    expect(await w.stored(created.paymentId)).toMatchObject({
      status: 'failed', intentStatus: 'failed', version: 2, updatedAt: '2026-01-01T00:00:01.000Z',
      lastError: { code: 'card_declined', declineCode: 'insufficient_funds', message: 'Your card has insufficient funds.' },
    });
    expect(w.metrics).toEqual(['failed']);
    const retried = await w.confirmPayment.execute({ userId: w.userId, id: created.paymentId, paymentMethod: 'pm_card_visa', operationId: randomUUID() });
    expect(retried.status).toBe('succeeded');
    expect(await w.stored(created.paymentId)).toMatchObject({ status: 'succeeded', lastError: undefined });
    expect(w.metrics).toEqual(['failed', 'success 2000 usd']);
  });

  it('leaves the record alone when Stripe fails for another reason than a decline', async () => {
    const w = paymentsWorld(simulator.url);
    const created = await w.create();
    const before = await w.stored(created.paymentId);
    const fault = simulator.faults.inject({ kind: 'server_error', method: 'POST', path: `/v1/payment_intents/${created.paymentIntentId}/confirm` });
    // The intent moves on between our read and the failed call; only a decline makes us read it again.
    const refresh = w.records.refresh.bind(w.records);
    let reads = 0;
    w.records.refresh = async (payment) => {
      reads += 1;
      const read = await refresh(payment);
      if (reads === 1) await w.stripe.intents.cancelPaymentIntent(created.paymentIntentId, { idempotencyKey: randomUUID() });
      return read;
    };
    expect(await refusal(w.confirmPayment.execute({ userId: w.userId, id: created.paymentId, paymentMethod: 'pm_card_visa', operationId: randomUUID() }))).toMatchObject({
      kind: 'unavailable', code: 'payment_provider_unavailable',
    });
    simulator.faults.remove(fault);
    expect(reads).toBe(1);
    expect(await w.stored(created.paymentId)).toEqual(before);
  });

  it('passes Stripe\'s refusal on when no payment method is given and the intent has none', async () => {
    const w = paymentsWorld(simulator.url);
    const created = await w.create();
    const refused = await refusal(w.confirmPayment.execute({ userId: w.userId, id: created.paymentId, operationId: randomUUID() }));
    expect(refused).toMatchObject({ kind: 'conflict', code: 'payment_state_conflict' });
    expect(refused.message).toContain('missing a payment method');
  });

  it('sends the same confirmation for a retry under one operation id, another for another, and never one payment\'s for another', async () => {
    const w = paymentsWorld(simulator.url);
    const created = await w.create();
    const operationId = randomUUID();
    await refusal(w.confirmPayment.execute({ userId: w.userId, id: created.paymentId, paymentMethod: 'pm_card_chargeDeclined', operationId }));
    // The retry is the first request replayed: Stripe refuses its key with another card.
    expect(await refusal(w.confirmPayment.execute({ userId: w.userId, id: created.paymentId, paymentMethod: 'pm_card_visa', operationId }))).toMatchObject({
      kind: 'conflict', code: 'payment_provider_idempotency_conflict',
    });
    expect((await w.confirmPayment.execute({ userId: w.userId, id: created.paymentId, paymentMethod: 'pm_card_visa', operationId: randomUUID() })).status).toBe('succeeded');
    const other = await w.create();
    expect((await w.confirmPayment.execute({ userId: w.userId, id: other.paymentId, paymentMethod: 'pm_card_visa', operationId })).status).toBe('succeeded');
    const replay = await w.stripe.intents.confirmPaymentIntent(other.paymentIntentId, {
      paymentMethod: 'pm_card_visa', idempotencyKey: stripeIdempotencyKey('payment-intent-confirm', other.paymentId, operationId),
    });
    expect(replay).toMatchObject({ id: other.paymentIntentId, status: 'succeeded' });
  });

  it.each(['succeeded', 'authorized', 'canceled'] as const)('refuses to confirm a %s payment, naming its status', async (status) => {
    const w = paymentsWorld(simulator.url);
    const created = await w.create({ captureMethod: status === 'authorized' ? 'manual' : 'automatic' });
    if (status === 'canceled') await w.cancelPayment.execute({ userId: w.userId, id: created.paymentId, operationId: randomUUID() });
    else await w.confirmPayment.execute({ userId: w.userId, id: created.paymentId, paymentMethod: 'pm_card_visa', operationId: randomUUID() });
    expect(await refusal(w.confirmPayment.execute({ userId: w.userId, id: created.paymentId, paymentMethod: 'pm_card_visa', operationId: randomUUID() }))).toEqual(notConfirmable(status));
  });

  it('reads the intent first: a payment paid behind the record\'s back is not confirmed again', async () => {
    const w = paymentsWorld(simulator.url);
    const created = await w.create();
    await w.stripe.intents.confirmPaymentIntent(created.paymentIntentId, { paymentMethod: 'pm_card_visa', idempotencyKey: randomUUID() });
    expect(await refusal(w.confirmPayment.execute({ userId: w.userId, id: created.paymentId, paymentMethod: 'pm_card_visa', operationId: randomUUID() }))).toEqual(notConfirmable('succeeded'));
    expect((await w.stored(created.paymentId)).status).toBe('succeeded');
    expect(w.metrics).toEqual(['success 2000 usd']);
  });

  it('answers not found for another user\'s payment', async () => {
    const w = paymentsWorld(simulator.url);
    const created = await w.create();
    expect(await refusal(w.confirmPayment.execute({ userId: 'someone-else', id: created.paymentId, paymentMethod: 'pm_card_visa', operationId: randomUUID() }))).toMatchObject({ code: 'payment_not_found' });
  });
});
