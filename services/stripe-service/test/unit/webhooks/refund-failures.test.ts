import { EventNotApplicableYetError } from '../../../src/application/webhooks/event-errors';
import { StripeEventTranslator } from '../../../src/adapters/stripe/stripe-event-translator';
import { expectPublishedEventsMatchSchemas } from '../../support/billing-event-schemas';
import { withPaidPayment } from '../../support/paid-payment';
import { chargeObject, chargeRefundedEvent, refundObject, stripeEvent } from '../../support/stripe-event-payloads';

const T = 1_767_225_700;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** A paid payment of 2000 made through the API. */
async function paidPayment(overrides: Parameters<typeof withPaidPayment>[0] = {}) {
  const h = await withPaidPayment({ stripeUpdatedAt: T - 100, ...overrides });
  const refund = (shape: Omit<Parameters<typeof refundObject>[0], 'intentId'>) => refundObject({ intentId: h.intentId, ...shape });
  const failed = (id: string, amount: number, created: number) => refund({ id, amount, created, status: 'failed', failureReason: 'expired_or_canceled_card' });
  return { ...h, refund, failed };
}

describe('ProcessStripeEvent: a refund that fails after Stripe accepted it', () => {
  it('marks the refund failed with its reason, gives its amount back out of amountRefunded, and publishes one payment.refund_failed', async () => {
    const h = await paidPayment();
    await h.useCase.execute(stripeEvent('refund.created', h.refund({ id: 're_1', amount: 2000, created: T }), { created: T }));
    await h.useCase.execute(chargeRefundedEvent({ intentId: h.intentId, refunded: 2000, before: 0 }, { created: T }));
    expect(await h.stored()).toMatchObject({ status: 'refunded', amountRefunded: 2000 });

    // Stripe sends refund.updated and refund.failed for the one failure, days later: the record
    // follows the first, and only refund.failed is published.
    const updated = stripeEvent('refund.updated', h.failed('re_1', 2000, T), { created: T + 86_400, previousAttributes: { status: 'succeeded', failure_reason: null } });
    expect(await h.useCase.execute(updated)).toMatchObject({ outcome: 'processed', published: [] });
    const stored = await h.stored();
    expect(stored).toMatchObject({ status: 'succeeded', amountRefunded: 0 });
    expect(stored.refunds).toEqual([{ id: 're_1', amount: 2000, status: 'failed', reason: undefined, createdAt: iso(T), failureReason: 'expired_or_canceled_card', failedAt: T + 86_400 }]);

    const failure = stripeEvent('refund.failed', h.failed('re_1', 2000, T), { created: T + 86_400 });
    const result = await h.useCase.execute(failure);
    expect(result.outcome).toBe('processed');
    expect(result.published).toEqual([
      expect.objectContaining({
        id: `bevt_${failure.eventId}`,
        type: 'payment.refund_failed',
        occurredAt: iso(T + 86_400),
        data: expect.objectContaining({ status: 'succeeded', amountRefunded: 0, refund: { refundId: 're_1', amount: 2000, failureReason: 'expired_or_canceled_card' } }),
      }),
    ]);
    // Applied once: the second event found the record as the first left it.
    expect((await h.stored()).version).toBe(stored.version);
    expect(h.publisher.events().map((e) => e.type)).toEqual(['payment.refunded', 'payment.refund_failed']);
    // A redelivery is a duplicate: nothing written or published again.
    expect((await h.useCase.execute(failure)).outcome).toBe('duplicate');
    expect(h.publisher.events()).toHaveLength(2);
    expectPublishedEventsMatchSchemas(h.publisher.events());
  });

  it('republishes the same id after a crash before the mark, and writes nothing the second time', async () => {
    const h = await paidPayment({ status: 'refunded', amountRefunded: 2000, refunds: [{ id: 're_api', amount: 2000, status: 'succeeded', reason: 'duplicate', createdAt: iso(T) }] });
    const failure = stripeEvent('refund.failed', h.failed('re_api', 2000, T), { created: T + 60 });
    const original = h.store.markProcessed.bind(h.store);
    h.store.markProcessed = async () => {
      throw new Error('crashed before the mark');
    };
    await expect(h.useCase.execute(failure)).rejects.toThrow('crashed before the mark');
    h.store.markProcessed = original;
    const afterFirst = await h.stored();
    expect(afterFirst).toMatchObject({ status: 'succeeded', amountRefunded: 0, refunds: [{ id: 're_api', status: 'failed', reason: 'duplicate' }] });
    expect((await h.useCase.execute(failure)).outcome).toBe('processed');
    expect((await h.stored()).version).toBe(afterFirst.version);
    expect(h.publisher.events().map((e) => e.id)).toEqual([`bevt_${failure.eventId}`, `bevt_${failure.eventId}`]);
  });

  it('recomputes a partial refund: one of two refunds fails, the payment is partially refunded by the other', async () => {
    const h = await paidPayment();
    await h.useCase.execute(stripeEvent('refund.created', h.refund({ id: 're_a', amount: 500, created: T }), { created: T }));
    await h.useCase.execute(chargeRefundedEvent({ intentId: h.intentId, refunded: 500, before: 0 }, { created: T }));
    await h.useCase.execute(stripeEvent('refund.created', h.refund({ id: 're_b', amount: 1500, created: T + 10 }), { created: T + 10 }));
    await h.useCase.execute(chargeRefundedEvent({ intentId: h.intentId, refunded: 2000, before: 500 }, { created: T + 10 }));
    expect(await h.stored()).toMatchObject({ status: 'refunded', amountRefunded: 2000 });
    await h.useCase.execute(stripeEvent('refund.failed', h.failed('re_a', 500, T), { created: T + 100 }));
    expect(await h.stored()).toMatchObject({ status: 'partially_refunded', amountRefunded: 1500 });
    // A new refund after the failure: the charge's own figure (which no longer counts the failed one) is taken.
    await h.useCase.execute(chargeRefundedEvent({ intentId: h.intentId, refunded: 1800, before: 1500 }, { created: T + 200 }));
    expect(await h.stored()).toMatchObject({ status: 'partially_refunded', amountRefunded: 1800 });
  });

  it('never lets an older charge figure count a failed refund again, nor an older refund event move it back', async () => {
    const h = await paidPayment();
    // A dashboard refund whose refund.created is late: the charge counted it, the list does not hold it.
    await h.useCase.execute(chargeRefundedEvent({ intentId: h.intentId, refunded: 700, before: 0 }, { created: T }));
    expect(await h.stored()).toMatchObject({ status: 'partially_refunded', amountRefunded: 700, refunds: [] });
    await h.useCase.execute(stripeEvent('refund.failed', h.failed('re_d', 700, T), { created: T + 50 }));
    expect(await h.stored()).toMatchObject({ status: 'succeeded', amountRefunded: 0, refunds: [{ id: 're_d', status: 'failed', failureReason: 'expired_or_canceled_card' }] });
    // Its refund.created, an update of it to succeeded and its charge.refunded, redelivered late.
    await h.useCase.execute(stripeEvent('refund.created', h.refund({ id: 're_d', amount: 700, created: T }), { created: T }));
    expect((await h.useCase.execute(stripeEvent('refund.updated', h.refund({ id: 're_d', amount: 700, created: T }), { created: T + 1 }))).outcome).toBe('out_of_order');
    await h.useCase.execute(chargeRefundedEvent({ intentId: h.intentId, refunded: 700, before: 0 }, { created: T }));
    expect(await h.stored()).toMatchObject({ status: 'succeeded', amountRefunded: 0, refunds: [{ id: 're_d', status: 'failed' }] });
  });

  it('still counts an older refund that arrives after a later refund\'s failure, without the failed one', async () => {
    const orders = [
      ['a', 'b', 'fail'],
      ['fail', 'b', 'a'],
      ['fail', 'a', 'b'],
      ['b', 'fail', 'a'],
      ['a', 'fail', 'b'],
      ['b', 'a', 'fail'],
    ];
    const finals = [];
    for (const order of orders) {
      const h = await paidPayment();
      // re_a (500) at T and re_b (1000) at T+10, both by charge.refunded only; re_a fails at T+100.
      const events: Record<string, ReturnType<typeof stripeEvent>> = {
        a: chargeRefundedEvent({ intentId: h.intentId, refunded: 500, before: 0 }, { created: T }),
        b: chargeRefundedEvent({ intentId: h.intentId, refunded: 1500, before: 500 }, { created: T + 10 }),
        fail: stripeEvent('refund.failed', h.failed('re_a', 500, T), { created: T + 100 }),
      };
      for (const name of order) await h.useCase.execute(events[name]!);
      const stored = await h.stored();
      finals.push({ order: order.join(','), status: stored.status, amountRefunded: stored.amountRefunded });
    }
    expect(finals).toEqual(orders.map((order) => ({ order: order.join(','), status: 'partially_refunded', amountRefunded: 1000 })));
  });

  it('adds a failed refund it never heard of without touching a total that never counted it', async () => {
    const h = await paidPayment();
    // The failure arrives first; the charge.refunded that counted the refund is older and comes last.
    await h.useCase.execute(stripeEvent('refund.failed', h.failed('re_e', 400, T), { created: T + 30 }));
    expect(await h.stored()).toMatchObject({ status: 'succeeded', amountRefunded: 0, refunds: [{ id: 're_e', amount: 400, status: 'failed', createdAt: iso(T) }] });
    await h.useCase.execute(chargeRefundedEvent({ intentId: h.intentId, refunded: 400, before: 0 }, { created: T }));
    expect(await h.stored()).toMatchObject({ status: 'succeeded', amountRefunded: 0 });
    expect(h.publisher.events().map((e) => e.type)).toEqual(['payment.refund_failed', 'payment.refunded']);
    expectPublishedEventsMatchSchemas(h.publisher.events());
  });

  it('ends the same whichever order a refund, its charge figure and its failure of one second arrive in', async () => {
    const events = () => [
      stripeEvent('refund.created', refundObject({ id: 're_s', intentId: 'pi_same', amount: 900, created: T }), { id: 'evt_s1', created: T }),
      stripeEvent('charge.refunded', chargeObject({ intentId: 'pi_same', refunded: 900 }), { id: 'evt_s2', created: T, previousAttributes: { amount_refunded: 0 } }),
      stripeEvent('refund.updated', refundObject({ id: 're_s', intentId: 'pi_same', amount: 900, created: T, status: 'failed', failureReason: 'declined' }), { id: 'evt_s3', created: T }),
      stripeEvent('refund.failed', refundObject({ id: 're_s', intentId: 'pi_same', amount: 900, created: T, status: 'failed', failureReason: 'declined' }), { id: 'evt_s4', created: T }),
    ];
    // Every arrival order of the four, each followed by a redelivery of its first event.
    const permutations = (items: number[]): number[][] => (items.length <= 1 ? [items] : items.flatMap((item) => permutations(items.filter((i) => i !== item)).map((rest) => [item, ...rest])));
    const orders = permutations([0, 1, 2, 3]).map((order) => [...order, order[0]!]);
    expect(orders).toHaveLength(24);
    const finals = [];
    for (const order of orders) {
      const h = await paidPayment({ stripePaymentIntentId: 'pi_same' });
      const list = events();
      for (const i of order) await h.useCase.execute(list[i]!);
      const stored = await h.stored();
      finals.push({ status: stored.status, amountRefunded: stored.amountRefunded, refunds: stored.refunds.map((r) => [r.id, r.status, r.failureReason]) });
      expect(h.publisher.events().filter((e) => e.type === 'payment.refund_failed')).toHaveLength(1);
    }
    expect(finals).toEqual(orders.map(() => ({ status: 'succeeded', amountRefunded: 0, refunds: [['re_s', 'failed', 'declined']] })));
  });

  it('retries a failure that beat its payment until the last delivery, and follows a pending refund to succeeded without publishing', async () => {
    const h = await paidPayment();
    await expect(h.useCase.execute(stripeEvent('refund.failed', refundObject({ id: 're_x', intentId: 'pi_unknown', amount: 1, status: 'failed' })), { lastDelivery: false })).rejects.toBeInstanceOf(
      EventNotApplicableYetError,
    );
    await h.useCase.execute(stripeEvent('refund.created', h.refund({ id: 're_p', amount: 300, created: T, status: 'pending' }), { created: T }));
    const settled = await h.useCase.execute(stripeEvent('refund.updated', h.refund({ id: 're_p', amount: 300, created: T }), { created: T + 5, previousAttributes: { status: 'pending' } }));
    expect(settled).toMatchObject({ outcome: 'processed', published: [] });
    expect(await h.stored()).toMatchObject({ status: 'partially_refunded', amountRefunded: 300, refunds: [{ id: 're_p', status: 'succeeded' }] });
  });
});

describe('StripeEventTranslator: refund updates', () => {
  const translator = new StripeEventTranslator();

  it('reads the status and failure_reason of refund.updated and refund.failed, reporting only refund.failed', () => {
    const object = refundObject({ id: 're_t', intentId: 'pi_t', amount: 250, created: T, status: 'failed', failureReason: 'lost_or_stolen_card', metadata: { userId: 'u1', paymentId: 'pay_1' } });
    const failed = translator.translate('refund.failed', stripeEvent('refund.failed', object).payload);
    expect(failed).toEqual({
      kind: 'refund_updated',
      paymentIntentId: 'pi_t',
      metadata: { userId: 'u1', paymentId: 'pay_1' },
      refund: { id: 're_t', amount: 250, status: 'failed', reason: undefined, createdAt: iso(T), failureReason: 'lost_or_stolen_card' },
      reported: true,
    });
    expect(translator.translate('refund.updated', stripeEvent('refund.updated', object).payload)).toMatchObject({ kind: 'refund_updated', reported: false });
    // refund.failed of a refund that is not failed (never sent so, but not to be trusted blindly): recorded, not reported.
    expect(translator.translate('refund.failed', stripeEvent('refund.failed', refundObject({ id: 're_t', intentId: 'pi_t', amount: 250 })).payload)).toMatchObject({ reported: false });
    expect(() => translator.translate('refund.failed', stripeEvent('refund.failed', { ...object, payment_intent: null }).payload)).toThrow('names no payment intent');
  });
});
