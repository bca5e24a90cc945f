// Stripe delivers at least once and in no order. Whatever order a payment's events arrive in, with
// redeliveries and several events in one second (Stripe's `created` has one-second resolution), the
// record must end as it ends when they arrive in order.
import fc from 'fast-check';
import type { BillingEvent } from '@shared/events/billing-event';
import type { StripeEventMessage } from '../../../src/application/ports/stripe-event-queue';
import type { Payment } from '../../../src/domain/payment';
import { eventsWorkerHarness } from '../../support/events-worker-harness';
import { samplePayment } from '../../support/sample-payment';
import { chargeObject, intentObject, refundObject, stripeEvent } from '../../support/stripe-event-payloads';

const START = 1_767_225_600;

type Step = { type: string; object: (intentId: string, meta: Record<string, string>) => Record<string, unknown>; previous?: Record<string, unknown> };

const CREATED: Step = { type: 'payment_intent.created', object: (id, metadata) => intentObject({ id, status: 'requires_payment_method', metadata }) };
const FAILED: Step = {
  type: 'payment_intent.payment_failed',
  object: (id, metadata) => intentObject({ id, status: 'requires_payment_method', metadata, lastPaymentError: { code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' } }),
};
const ACTION: Step = { type: 'payment_intent.requires_action', object: (id, metadata) => intentObject({ id, status: 'requires_action', metadata }) };
const SUCCEEDED: Step = { type: 'payment_intent.succeeded', object: (id, metadata) => intentObject({ id, status: 'succeeded', metadata }) };
/** A refund bringing the charge's total from `before` to `total`, as Stripe reports it (previous_attributes). */
const refund = (total: number, before: number): Step => ({ type: 'charge.refunded', object: (id) => chargeObject({ intentId: id, refunded: total }), previous: { amount_refunded: before, refunded: false } });

/** The first refund failing after Stripe accepted it (made at `refundCreated`), as refund.failed reports it. */
const refundFails = (amount: number, refundCreated: number): Step => ({
  type: 'refund.failed',
  object: (id, metadata) => refundObject({ id: 're_first', intentId: id, amount, created: refundCreated, status: 'failed', failureReason: 'expired_or_canceled_card', metadata }),
});

/** A payment's life in order: created → a declined attempt → requires_action → succeeded → refunds → maybe the first refund's failure, each step 0-2 s after the last (0 is a tie). */
const lifeArbitrary = fc
  .record({
    gaps: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 8, maxLength: 8 }),
    withFailure: fc.boolean(),
    withRefundFailure: fc.boolean(),
    withAction: fc.boolean(),
    refunds: fc.uniqueArray(fc.integer({ min: 1, max: 2000 }), { maxLength: 3 }).map((amounts) => [...amounts].sort((a, b) => a - b)),
    copies: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 8, maxLength: 8 }),
  })
  .chain((life) => {
    const steps = [CREATED, ...(life.withFailure ? [FAILED] : []), ...(life.withAction ? [ACTION] : []), SUCCEEDED, ...life.refunds.map((total, i) => refund(total, life.refunds[i - 1] ?? 0))];
    let created = START;
    const events = steps.map((step, i) => {
      created += life.gaps[i] ?? 0;
      return { step, created, id: `evt_${i}_${step.type}`, copies: life.copies[i] ?? 1 };
    });
    const firstRefund = events.find((e) => e.step.type === 'charge.refunded');
    if (life.withRefundFailure && firstRefund && life.refunds[0] !== undefined) {
      created += life.gaps[steps.length] ?? 0;
      events.push({ step: refundFails(life.refunds[0], firstRefund.created), created, id: `evt_${steps.length}_refund.failed`, copies: life.copies[steps.length] ?? 1 });
    }
    const deliveries = events.flatMap((event) => Array.from({ length: event.copies }, () => event));
    return fc.record({ inOrder: fc.constant(events), arrivals: fc.shuffledSubarray(deliveries, { minLength: deliveries.length, maxLength: deliveries.length }) });
  });

async function run(payment: Payment, deliveries: { step: Step; created: number; id: string }[]) {
  const h = await eventsWorkerHarness({ userId: payment.userId, stripeCustomerId: payment.stripeCustomerId });
  await h.payments.create(payment);
  const metadata = { userId: payment.userId, paymentId: payment.paymentId };
  for (const d of deliveries) {
    const message: StripeEventMessage = stripeEvent(d.step.type, d.step.object(payment.stripePaymentIntentId, metadata), { id: d.id, created: d.created, ...(d.step.previous ? { previousAttributes: d.step.previous } : {}) });
    await h.useCase.execute(message);
  }
  const record = await h.payments.get(payment.userId, payment.paymentId);
  return { h, record };
}

/** What happened, which every arrival order must publish as the in-order run does: the success, each failed attempt, each refund with its own amount. */
const facts = (events: BillingEvent[]) =>
  events
    .filter((e) => e.type === 'payment.successful' || e.type === 'payment.failed' || e.type === 'payment.refunded' || e.type === 'payment.refund_failed')
    .map((e) => `${e.type} ${e.source.stripeEventId} ${e.type === 'payment.refunded' ? String(e.data.refund?.amount) : ''}`)
    .sort();
/** States passed through: an order that brings them late may skip them (old news), but never invents one. */
const passing = (events: BillingEvent[]) => events.filter((e) => e.type === 'payment.action_required').map((e) => e.source.stripeEventId);

/** The record as the events left it; the version counts writes and updatedAt the clock, neither the news. */
const comparable = (payment: Payment | undefined) => payment && { ...payment, version: 0, updatedAt: '' };

describe('payment events in any order', () => {
  it('end in the record the in-order sequence gives, 200 random arrival orders with duplicates, same-second ties and a refund that fails', async () => {
    await fc.assert(
      fc.asyncProperty(lifeArbitrary, async ({ inOrder, arrivals }) => {
        const payment = samplePayment('user-order', { stripeCustomerId: 'cus_order', amount: 2000, stripeUpdatedAt: START });
        const expected = await run(payment, inOrder);
        const actual = await run(payment, arrivals);
        expect(comparable(actual.record)).toEqual(comparable(expected.record));
        const published = actual.h.publisher.events();
        expect(facts(published)).toEqual(facts(expected.h.publisher.events()));
        expect(passing(expected.h.publisher.events())).toEqual(expect.arrayContaining(passing(published)));
        // Each Stripe event is applied once: a redelivery of a processed one publishes nothing.
        const ids = published.map((e) => e.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(actual.h.paymentCounts.successful).toBe(1);
        expect(actual.h.metrics.counts.duplicate ?? 0).toBe(arrivals.length - inOrder.length);
      }),
      { numRuns: 200 },
    );
  });
});
