import { randomUUID } from 'node:crypto';
import { startStripeSimulator, type StripeSimulator } from '../../../../../scripts/stripe-simulator/index';
import { PaymentRecords } from '../../../src/application/payments/payment-records';
import { GetPayment } from '../../../src/application/payments/get-payment';
import type { Payment } from '../../../src/domain/payment';
import { InMemoryPaymentRepository } from '../../fakes/in-memory-payment-repository';
import { samplePayment } from '../../support/sample-payment';
import { paymentsWorld, recordingMetrics, refusal, type PaymentsWorld } from './payments-world';

let simulator: StripeSimulator;
beforeAll(async () => {
  simulator = await startStripeSimulator({ port: 0 });
});
afterAll(() => simulator.stop());

const notFound = { name: 'PaymentNotFoundError', kind: 'not_found', code: 'payment_not_found', message: 'No such payment.', details: undefined };

/** The intent index is eventually consistent: this one has not caught up with any write yet. */
class UnindexedPaymentRepository extends InMemoryPaymentRepository {
  override async findByPaymentIntentId(): Promise<Payment | undefined> {
    return undefined;
  }
}

function unindexed(w: PaymentsWorld) {
  const payments = new UnindexedPaymentRepository();
  const records = new PaymentRecords(payments, w.stripe.intents, w.clock, recordingMetrics().metrics);
  return { payments, records };
}

describe('PaymentRecords.load', () => {
  it('finds the caller\'s payment by our id and by the intent id', async () => {
    const w = paymentsWorld(simulator.url);
    const created = await w.create();
    const stored = await w.stored(created.paymentId);
    expect(await w.records.load(w.userId, created.paymentId)).toEqual(stored);
    expect(await w.records.load(w.userId, created.paymentIntentId)).toEqual(stored);
  });

  it('finds a payment missing from the intent index through the intent\'s metadata', async () => {
    const w = paymentsWorld(simulator.url);
    const created = await w.create();
    const { payments, records } = unindexed(w);
    await payments.create(await w.stored(created.paymentId));
    expect(await records.load(w.userId, created.paymentIntentId)).toEqual(await w.stored(created.paymentId));
  });

  it('does not find another user\'s payment by either id, indexed or not', async () => {
    const w = paymentsWorld(simulator.url);
    const created = await w.create();
    const { payments, records } = unindexed(w);
    await payments.create(await w.stored(created.paymentId));
    for (const id of [created.paymentId, created.paymentIntentId]) {
      expect(await refusal(w.records.load('someone-else', id))).toEqual(notFound);
      expect(await refusal(records.load('someone-else', id))).toEqual(notFound);
    }
  });

  it('does not answer the caller\'s own payment of the same id for another user\'s intent', async () => {
    const w = paymentsWorld(simulator.url);
    const theirs = await w.create();
    // Payment ids are unique per user only; a row of the caller's under the same id must not stand in for theirs.
    const mine = samplePayment('me', { paymentId: theirs.paymentId });
    await w.payments.create(mine);
    expect(await refusal(w.records.load('me', theirs.paymentIntentId))).toEqual(notFound);
    expect(await w.records.load('me', mine.stripePaymentIntentId)).toEqual(mine);
    // Nor when the index has not caught up and their intent's metadata names the id.
    const { payments, records } = unindexed(w);
    await payments.create(mine);
    expect(await refusal(records.load('me', theirs.paymentIntentId))).toEqual(notFound);
  });

  it('does not find a payment through an intent whose metadata names no payment, or an intent Stripe does not know', async () => {
    const w = paymentsWorld(simulator.url);
    const created = await w.create();
    const stray = await w.stripe.intents.createPaymentIntent({
      amount: 1000, currency: 'usd', customerId: await w.customerId(), captureMethod: 'automatic',
      metadata: { userId: w.userId }, allowRedirects: false, idempotencyKey: randomUUID(),
    });
    const { payments, records } = unindexed(w);
    await payments.create(await w.stored(created.paymentId));
    // Were the missing id looked up anyway, it would find this row.
    await payments.create({ ...(await w.stored(created.paymentId)), paymentId: 'undefined', stripePaymentIntentId: stray.id });
    expect(await refusal(records.load(w.userId, stray.id))).toEqual(notFound);
    expect(await refusal(records.load(w.userId, 'pi_unknown000000000000000'))).toEqual(notFound);
  });

  it('does not find anything by an id with neither prefix', async () => {
    const w = paymentsWorld(simulator.url);
    const created = await w.create();
    const odd = samplePayment(w.userId, { stripePaymentIntentId: 'ch_3Odd' });
    await w.payments.create(odd);
    for (const id of [created.paymentId.slice('pay_'.length), created.paymentIntentId.slice('pi_'.length), 'ch_3Odd', '', `x${created.paymentId}`]) {
      expect(await refusal(w.records.load(w.userId, id))).toEqual(notFound);
    }
  });
});

describe('PaymentRecords.mutate', () => {
  function setup() {
    const payments = new InMemoryPaymentRepository();
    const { metrics, seen } = recordingMetrics();
    const w = paymentsWorld(simulator.url);
    const records = new PaymentRecords(payments, w.stripe.intents, w.clock, metrics);
    return { payments, records, seen };
  }

  it('writes the change at the next version and answers what it wrote', async () => {
    const { payments, records } = setup();
    const payment = (await payments.create(samplePayment('u'))).payment;
    const written = await records.mutate(payment, (p) => ({ ...p, description: 'changed' }));
    expect(written).toEqual({ ...payment, description: 'changed', version: 2 });
    expect(await payments.get('u', payment.paymentId)).toEqual(written);
  });

  it('re-reads the record after a concurrent write and applies the change to it, keeping both', async () => {
    const { payments, records } = setup();
    const stale = (await payments.create(samplePayment('u'))).payment;
    expect(await payments.update({ ...stale, description: 'theirs', version: 2 }, 1)).toBe(true);
    const seenVersions: number[] = [];
    const written = await records.mutate(stale, (p) => {
      seenVersions.push(p.version);
      return { ...p, metadata: { ...p.metadata, mine: 'yes' } };
    });
    expect(seenVersions).toEqual([1, 2]);
    expect(written).toEqual({ ...stale, description: 'theirs', metadata: { orderId: '1', mine: 'yes' }, version: 3 });
    expect(await payments.get('u', stale.paymentId)).toEqual(written);
  });

  it('gives up after five attempts that each lost to a concurrent writer, and succeeds on the fifth', async () => {
    const { payments, records } = setup();
    const payment = (await payments.create(samplePayment('u'))).payment;
    // The change itself lets another writer in first, the given number of times.
    const contended = (conflicts: number) => {
      let calls = 0;
      const change = (p: Payment) => {
        calls += 1;
        if (calls <= conflicts) void payments.update({ ...p, description: `theirs ${calls}`, version: p.version + 1 }, p.version);
        return { ...p, metadata: { mine: String(calls) } };
      };
      return { change, calls: () => calls };
    };
    const always = contended(Number.POSITIVE_INFINITY);
    await expect(records.mutate(payment, always.change)).rejects.toThrow(`payment ${payment.paymentId} kept changing under five attempts to update it`);
    expect(always.calls()).toBe(5);
    const current = (await payments.get('u', payment.paymentId))!;
    expect(current.version).toBe(6);
    const fourTimes = contended(4);
    const written = await records.mutate(current, fourTimes.change);
    expect(fourTimes.calls()).toBe(5);
    expect(written).toEqual({ ...current, description: 'theirs 4', metadata: { mine: '5' }, version: 11 });
  });

  it('applies what Stripe answered as observed now, to the second, or at the last observation if that is later', async () => {
    const payments = new InMemoryPaymentRepository();
    const w = paymentsWorld(simulator.url);
    const records = new PaymentRecords(payments, w.stripe.intents, w.clock, recordingMetrics().metrics);
    const payment = (await payments.create(samplePayment('u', { stripeUpdatedAt: Date.parse('2026-01-01T00:00:30Z') / 1000 }))).payment;
    const intent = {
      id: payment.stripePaymentIntentId, status: 'failed' as const, amount: 1000, amountCapturable: 0, amountReceived: 0, amountRefunded: 0, currency: 'usd',
      captureMethod: 'automatic' as const, customerId: 'cus_x', clientSecret: undefined, description: undefined, metadata: {}, latestChargeId: undefined,
      nextAction: undefined, lastError: { code: 'card_declined', declineCode: 'generic_decline', message: 'Declined.' }, cancellationReason: undefined, created: 0,
    };
    w.clock.advance(10_000);
    const early = await records.applyIntent(payment, intent);
    expect(early).toMatchObject({ status: 'failed', stripeUpdatedAt: Date.parse('2026-01-01T00:00:30Z') / 1000, updatedAt: '2026-01-01T00:00:10.000Z' });
    w.clock.advance(80_500);
    const later = await records.applyIntent(early, { ...intent, status: 'succeeded', amountReceived: 1000, lastError: undefined });
    expect(later).toMatchObject({ status: 'succeeded', stripeUpdatedAt: Date.parse('2026-01-01T00:01:30Z') / 1000, updatedAt: '2026-01-01T00:01:30.500Z', version: 3 });
  });

  it('answers not found when the record is gone', async () => {
    const { records } = setup();
    expect(await refusal(records.mutate(samplePayment('u'), (p) => ({ ...p, description: 'x' })))).toEqual(notFound);
  });

  it('writes nothing, and counts nothing, when the change leaves the record as it is', async () => {
    const { payments, records, seen } = setup();
    const payment = (await payments.create(samplePayment('u', { intentStatus: 'succeeded', status: 'succeeded', amountReceived: 1000 }))).payment;
    expect(await records.mutate(payment, (p) => p)).toBe(payment);
    expect(await payments.get('u', payment.paymentId)).toEqual(payment);
    expect(seen).toEqual([]);
  });

  it('counts a success with its currency and the amount received, and a failure, once each on the write that made them', async () => {
    const { payments, records, seen } = setup();
    const pending = (await payments.create(samplePayment('u', { currency: 'eur', amount: 3000 }))).payment;
    const failed = await records.mutate(pending, (p) => ({ ...p, intentStatus: 'failed', status: 'failed' }));
    expect(seen).toEqual(['failed']);
    const againFailed = await records.mutate(failed, (p) => ({ ...p, description: 'still failed' }));
    expect(seen).toEqual(['failed']);
    const paid = await records.mutate(againFailed, (p) => ({ ...p, intentStatus: 'succeeded', status: 'succeeded', amountReceived: 2500 }));
    expect(seen).toEqual(['failed', 'success 2500 eur']);
    await records.mutate(paid, (p) => ({ ...p, status: 'partially_refunded', amountRefunded: 10 }));
    expect(seen).toEqual(['failed', 'success 2500 eur']);
    records.count(undefined, paid);
    records.count(undefined, failed);
    records.count(undefined, pending);
    expect(seen).toEqual(['failed', 'success 2500 eur', 'success 2500 eur', 'failed']);
  });
});

describe('GetPayment', () => {
  it('answers the payment as its owner sees it, brought up to date with Stripe', async () => {
    const w = paymentsWorld(simulator.url);
    const created = await w.create({ description: 'Book', metadata: { orderId: '9' } });
    const createdAt = w.now();
    // Paid behind the record's back (Stripe.js); the read finds out.
    await w.stripe.intents.confirmPaymentIntent(created.paymentIntentId, { paymentMethod: 'pm_card_visa', idempotencyKey: randomUUID() });
    w.clock.advance(60_000);
    const view = await w.getPayment.execute({ userId: w.userId, id: created.paymentIntentId });
    expect(view).toEqual({
      paymentId: created.paymentId, paymentIntentId: created.paymentIntentId, customerId: await w.customerId(),
      status: 'succeeded', amount: 2000, currency: 'usd', captureMethod: 'automatic',
      amountCapturable: 0, amountReceived: 2000, amountRefunded: 0, refunds: [],
      description: 'Book', metadata: { orderId: '9' }, lastError: null, cancellationReason: null,
      createdAt, updatedAt: '2026-01-01T00:01:00.000Z',
    });
    expect((await w.stored(created.paymentId)).version).toBe(2);
    expect(w.metrics).toEqual(['success 2000 usd']);
    // Nothing new at Stripe: the second read writes nothing.
    w.clock.advance(60_000);
    expect(await w.getPayment.execute({ userId: w.userId, id: created.paymentId })).toEqual(view);
    expect((await w.stored(created.paymentId)).version).toBe(2);
  });

  it('shows nulls for what the payment lacks, and each refund without the record\'s bookkeeping', async () => {
    const w = paymentsWorld(simulator.url);
    const created = await w.paid();
    const stored = await w.stored(created.paymentId);
    await w.records.mutate(stored, (p) => ({
      ...p,
      refunds: [
        { id: 're_1', amount: 500, status: 'failed', reason: 'duplicate', createdAt: '2026-01-01T00:00:05.000Z', failureReason: 'expired_or_canceled_card', failedAt: 1_767_225_700, statusEventCreated: 1_767_225_650 },
        { id: 're_2', amount: 300, status: 'pending', reason: undefined, createdAt: '2026-01-01T00:00:06.000Z' },
      ],
    }));
    const view = await w.getPayment.execute({ userId: w.userId, id: created.paymentId });
    expect(view.refunds.map((refund) => Object.keys(refund))).toEqual([
      ['id', 'amount', 'status', 'reason', 'createdAt', 'failureReason'],
      ['id', 'amount', 'status', 'reason', 'createdAt'],
    ]);
    expect(view.refunds).toEqual([
      { id: 're_1', amount: 500, status: 'failed', reason: 'duplicate', createdAt: '2026-01-01T00:00:05.000Z', failureReason: 'expired_or_canceled_card' },
      { id: 're_2', amount: 300, status: 'pending', reason: null, createdAt: '2026-01-01T00:00:06.000Z' },
    ]);
    expect(view).toMatchObject({ description: null, metadata: {}, lastError: null, cancellationReason: null });
  });

  it('answers a payment Stripe no longer knows as it is recorded', async () => {
    const w = paymentsWorld(simulator.url);
    const orphan = samplePayment(w.userId, { stripePaymentIntentId: 'pi_gone000000000000000000', status: 'processing', intentStatus: 'processing', cancellationReason: 'abandoned' });
    await w.payments.create(orphan);
    const getPayment = new GetPayment(w.records);
    expect(await getPayment.execute({ userId: w.userId, id: orphan.paymentId })).toMatchObject({
      paymentId: orphan.paymentId, status: 'processing', description: 'Order 1', metadata: { orderId: '1' }, cancellationReason: 'abandoned', updatedAt: orphan.updatedAt,
    });
    expect((await w.stored(orphan.paymentId)).version).toBe(1);
    expect(await refusal(getPayment.execute({ userId: 'someone-else', id: orphan.paymentId }))).toEqual(notFound);
  });
});
