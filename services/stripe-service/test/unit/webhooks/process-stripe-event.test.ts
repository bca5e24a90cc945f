import { parseBillingEvent, type BillingEvent } from '@shared/events/billing-event';
import { derivedPaymentId } from '../../../src/application/webhooks/process-stripe-event';
import { EventNotApplicableYetError, MalformedStripeEventError, UnknownPaymentError, UnknownUserError } from '../../../src/application/webhooks/event-errors';
import { eventsWorkerHarness } from '../../support/events-worker-harness';
import { samplePayment } from '../../support/sample-payment';
import { chargeObject, chargeRefundedEvent, checkoutObject, intentObject, invoiceObject, refundObject, stripeEvent, subscriptionObject } from '../../support/stripe-event-payloads';
import { expectPublishedEventsMatchSchemas } from '../../support/billing-event-schemas';

const T = 1_767_225_700;

async function withApiPayment(overrides: Parameters<typeof samplePayment>[1] = {}) {
  const h = await eventsWorkerHarness();
  const payment = samplePayment(h.userId, { stripeCustomerId: h.stripeCustomerId, amount: 2000, stripeUpdatedAt: T - 100, ...overrides });
  await h.payments.create(payment);
  const intent = (status: string, extra: Partial<Parameters<typeof intentObject>[0]> = {}) =>
    intentObject({ id: payment.stripePaymentIntentId, status, metadata: { userId: h.userId, paymentId: payment.paymentId }, ...extra });
  return { ...h, payment, intent, stored: () => h.payments.get(h.userId, payment.paymentId) };
}


describe('ProcessStripeEvent: payments', () => {
  it('applies payment_intent.succeeded to the payment, publishes payment.successful once with a stable id, and marks the event processed', async () => {
    const h = await withApiPayment();
    const message = stripeEvent('payment_intent.succeeded', h.intent('succeeded'), { created: T });
    const result = await h.useCase.execute(message);
    expect(result.outcome).toBe('processed');
    expect(await h.stored()).toMatchObject({ status: 'succeeded', intentStatus: 'succeeded', amountReceived: 2000, lastStripeEventId: message.eventId, lastStripeEventCreated: T, version: 2 });
    expect(h.publisher.published).toHaveLength(1);
    const [{ event, attributes }] = h.publisher.published as [{ event: BillingEvent; attributes: Record<string, string> }];
    expect(event).toMatchObject({
      id: `bevt_${message.eventId}`,
      type: 'payment.successful',
      version: 1,
      userId: h.userId,
      stripeCustomerId: h.stripeCustomerId,
      occurredAt: new Date(T * 1000).toISOString(),
      source: { stripeEventId: message.eventId, stripeEventType: 'payment_intent.succeeded' },
      data: { paymentId: h.payment.paymentId, paymentIntentId: h.payment.stripePaymentIntentId, status: 'succeeded', amount: 2000, amountReceived: 2000 },
    });
    expect(attributes).toEqual({ type: 'payment.successful', userId: h.userId });
    expect(parseBillingEvent(JSON.stringify(event))).toMatchObject({ ok: true });
    // Kept as long as the ingress keeps it: 30 days, as far back as Stripe's events API (and so a replay) reaches.
    expect(await h.store.get(message.eventId)).toMatchObject({ status: 'processed', ttl: Math.floor(h.clock.now() / 1000) + 30 * 24 * 3600 });
    expect(h.metrics.counts).toEqual({ processed: 1 });
    expect(h.paymentCounts.successful).toBe(1);

    // The same event again: acknowledged as a duplicate, nothing published or written.
    expect((await h.useCase.execute(message)).outcome).toBe('duplicate');
    expect(h.publisher.published).toHaveLength(1);
    expect((await h.stored())?.version).toBe(2);
    expect(h.metrics.counts).toEqual({ processed: 1, duplicate: 1 });
    expectPublishedEventsMatchSchemas(h.publisher.events());
  });

  it('republishes the same billing event id when a crash came between publish and mark, changing the record no further', async () => {
    const h = await withApiPayment();
    const message = stripeEvent('payment_intent.succeeded', h.intent('succeeded'), { created: T });
    h.store.failure = undefined;
    const original = h.store.markProcessed.bind(h.store);
    h.store.markProcessed = async () => {
      throw new Error('crashed before the mark');
    };
    await expect(h.useCase.execute(message)).rejects.toThrow('crashed before the mark');
    h.store.markProcessed = original;
    expect((await h.useCase.execute(message)).outcome).toBe('processed');
    expect(h.publisher.events().map((e) => e.id)).toEqual([`bevt_${message.eventId}`, `bevt_${message.eventId}`]);
    expect((await h.stored())?.version).toBe(2);
    expect(h.paymentCounts.successful).toBe(1);
    expect(h.metrics.counts).toMatchObject({ failedTransient: 1, processed: 1 });
  });

  it('leaves a publish failure to the retry: the record is written, the event not marked, and the retry publishes', async () => {
    const h = await withApiPayment();
    const message = stripeEvent('payment_intent.payment_failed', h.intent('requires_payment_method', { lastPaymentError: { code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' } }), { created: T });
    h.publisher.failure = new Error('topic unavailable');
    await expect(h.useCase.execute(message)).rejects.toThrow('topic unavailable');
    expect((await h.store.get(message.eventId))?.status).not.toBe('processed');
    expect(await h.stored()).toMatchObject({ status: 'failed' });
    h.publisher.failure = undefined;
    expect((await h.useCase.execute(message)).outcome).toBe('processed');
    expect(h.publisher.events()).toEqual([
      expect.objectContaining({ type: 'payment.failed', data: expect.objectContaining({ status: 'failed', failure: { code: 'card_declined', declineCode: 'insufficient_funds', message: 'Your card has insufficient funds.' } }) }),
    ]);
    expect(h.paymentCounts.failed).toBe(1);
  });

  it('never moves a payment back for an older event: acknowledged, counted, nothing published', async () => {
    const h = await withApiPayment();
    await h.useCase.execute(stripeEvent('payment_intent.succeeded', h.intent('succeeded'), { created: T }));
    const late = await h.useCase.execute(stripeEvent('payment_intent.requires_action', h.intent('requires_action'), { created: T - 5 }));
    expect(late.outcome).toBe('out_of_order');
    expect(await h.stored()).toMatchObject({ status: 'succeeded', version: 2 });
    expect(h.publisher.events().map((e) => e.type)).toEqual(['payment.successful']);
    expect(h.metrics.counts).toEqual({ processed: 1, outOfOrder: 1 });
  });

  it('orders events of the same second by how far along they are, and never drops the later one of a second', async () => {
    // The later state of the second arriving second is applied, not dropped as "not newer".
    const inOrder = await withApiPayment();
    await inOrder.useCase.execute(stripeEvent('payment_intent.requires_action', inOrder.intent('requires_action'), { created: T }));
    expect((await inOrder.useCase.execute(stripeEvent('payment_intent.succeeded', inOrder.intent('succeeded'), { created: T }))).outcome).toBe('processed');
    expect(await inOrder.stored()).toMatchObject({ status: 'succeeded' });
    expect(inOrder.publisher.events().map((e) => e.type)).toEqual(['payment.action_required', 'payment.successful']);

    // The earlier state of the second arriving second is stale.
    const reversed = await withApiPayment();
    await reversed.useCase.execute(stripeEvent('payment_intent.succeeded', reversed.intent('succeeded'), { created: T }));
    expect((await reversed.useCase.execute(stripeEvent('payment_intent.requires_action', reversed.intent('requires_action'), { created: T }))).outcome).toBe('out_of_order');
    expect(await reversed.stored()).toMatchObject({ status: 'succeeded' });
  });

  it('takes a failed 3-D Secure challenge of the same second as later than the challenge, and reports a declined attempt that arrives after the success', async () => {
    const h = await withApiPayment();
    const authFailure = { code: 'payment_intent_authentication_failure', message: 'The provided PaymentMethod has failed authentication.' };
    await h.useCase.execute(stripeEvent('payment_intent.requires_action', h.intent('requires_action'), { created: T }));
    const failed = await h.useCase.execute(stripeEvent('payment_intent.payment_failed', h.intent('requires_payment_method', { lastPaymentError: authFailure }), { created: T }));
    expect(failed.outcome).toBe('processed');
    expect(await h.stored()).toMatchObject({ status: 'failed', lastError: { code: 'payment_intent_authentication_failure' } });
    expect(h.publisher.events().map((e) => e.type)).toEqual(['payment.action_required', 'payment.failed']);

    // A decline, retried with a challenge in the same second: the challenge is the later.
    const retried = await withApiPayment();
    const decline = { code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' };
    await retried.useCase.execute(stripeEvent('payment_intent.requires_action', retried.intent('requires_action'), { created: T }));
    expect((await retried.useCase.execute(stripeEvent('payment_intent.payment_failed', retried.intent('requires_payment_method', { lastPaymentError: decline }), { created: T }))).outcome).toBe('out_of_order');
    expect(await retried.stored()).toMatchObject({ status: 'requires_action' });
    // The failed attempt is still a fact: reported with its failure, the record as it stands.
    await retried.useCase.execute(stripeEvent('payment_intent.succeeded', retried.intent('succeeded'), { created: T + 1 }));
    const late = await retried.useCase.execute(stripeEvent('payment_intent.payment_failed', retried.intent('requires_payment_method', { lastPaymentError: decline }), { created: T - 1 }));
    expect(late.outcome).toBe('out_of_order');
    expect(late.published).toEqual([expect.objectContaining({ type: 'payment.failed', data: expect.objectContaining({ status: 'succeeded', failure: { code: 'card_declined', declineCode: 'insufficient_funds', message: 'Your card has insufficient funds.' } }) })]);
    expect(retried.publisher.events().map((e) => e.type)).toEqual(['payment.action_required', 'payment.failed', 'payment.successful', 'payment.failed']);
  });

  it('still publishes an event whose state an API read stored first, so a payment confirmed through the API gets its payment.successful', async () => {
    const h = await withApiPayment({ status: 'succeeded', intentStatus: 'succeeded', amountReceived: 2000, stripeUpdatedAt: T + 2 });
    const result = await h.useCase.execute(stripeEvent('payment_intent.succeeded', h.intent('succeeded'), { created: T }));
    expect(result.outcome).toBe('processed');
    expect(h.publisher.events().map((e) => e.type)).toEqual(['payment.successful']);
    expect(await h.stored()).toMatchObject({ status: 'succeeded', stripeUpdatedAt: T + 2 });
    // An earlier state than the read saw is stale, though no event came before it.
    expect((await h.useCase.execute(stripeEvent('payment_intent.requires_action', h.intent('requires_action'), { created: T - 1 }))).outcome).toBe('out_of_order');
  });

  it('reports an authorization, its capture, and every refund: an older one arriving last is still reported, the record never shrinking', async () => {
    const h = await withApiPayment({ captureMethod: 'manual' });
    await h.useCase.execute(stripeEvent('payment_intent.amount_capturable_updated', h.intent('requires_capture', { amountCapturable: 2000, captureMethod: 'manual' }), { created: T }));
    expect(await h.stored()).toMatchObject({ status: 'authorized', amountCapturable: 2000 });
    await h.useCase.execute(stripeEvent('payment_intent.succeeded', h.intent('succeeded', { captureMethod: 'manual' }), { created: T + 10 }));
    // 500 refunded, then the remaining 1500: the second event's charge says 2000 refunded in all.
    const full = chargeRefundedEvent({ intentId: h.payment.stripePaymentIntentId, refunded: 2000, before: 500 }, { created: T + 30 });
    const partial = chargeRefundedEvent({ intentId: h.payment.stripePaymentIntentId, refunded: 500, before: 0 }, { created: T + 20 });
    expect((await h.useCase.execute(full)).outcome).toBe('processed');
    const late = await h.useCase.execute(partial);
    expect(late.outcome).toBe('out_of_order');
    expect(await h.stored()).toMatchObject({ status: 'refunded', amountRefunded: 2000 });
    expect(h.publisher.events().map((e) => e.type)).toEqual(['payment.authorized', 'payment.successful', 'payment.refunded', 'payment.refunded']);
    // Each reports its own refund, not the running total.
    expect(h.publisher.events()[2]).toMatchObject({ data: { status: 'refunded', amountRefunded: 2000, refund: { refundId: null, amount: 1500 } } });
    // The older refund is a refund of its own: published, the record as it stands.
    expect(late.published).toEqual([expect.objectContaining({ id: `bevt_${partial.eventId}`, type: 'payment.refunded', data: expect.objectContaining({ status: 'refunded', amountRefunded: 2000, refund: { refundId: null, amount: 500 } }) })]);
    expectPublishedEventsMatchSchemas(h.publisher.events());
  });

  it('appends each refund to the payment\'s list once by its id: from refund.created, from a charge that lists its refunds, never twice', async () => {
    const h = await withApiPayment({ status: 'succeeded', intentStatus: 'succeeded', amountReceived: 2000 });
    const intentId = h.payment.stripePaymentIntentId;
    const created = stripeEvent('refund.created', refundObject({ id: 're_1', intentId, amount: 500, created: T + 20, reason: 'requested_by_customer' }), { created: T + 20 });
    expect(await h.useCase.execute(created)).toMatchObject({ outcome: 'processed', published: [] });
    const listed = { id: 're_1', amount: 500, status: 'succeeded', reason: 'requested_by_customer', createdAt: new Date((T + 20) * 1000).toISOString() };
    expect(await h.stored()).toMatchObject({ refunds: [listed], amountRefunded: 500, status: 'partially_refunded' });
    // The same refund in another event (a replay under a new id): nothing added.
    await h.useCase.execute(stripeEvent('refund.created', refundObject({ id: 're_1', intentId, amount: 500, created: T + 20, reason: 'requested_by_customer' }), { created: T + 20 }));
    // Its charge.refunded, and a later one whose charge lists both refunds (an endpoint that expands them).
    await h.useCase.execute(chargeRefundedEvent({ intentId, refunded: 500, before: 0 }, { created: T + 20 }));
    const both = stripeEvent('charge.refunded', chargeObject({ intentId, refunded: 2000, refunds: [{ id: 're_1', amount: 500, created: T + 20 }, { id: 're_2', amount: 1500, created: T + 30 }] }), { created: T + 30, previousAttributes: { amount_refunded: 500 } });
    await h.useCase.execute(both);
    const stored = await h.stored();
    expect(stored?.refunds.map((r) => [r.id, r.amount])).toEqual([['re_1', 500], ['re_2', 1500]]);
    expect(stored).toMatchObject({ amountRefunded: 2000, status: 'refunded' });
    // re_2's own refund.created arriving last, after the charge listed it: still one entry.
    await h.useCase.execute(stripeEvent('refund.created', refundObject({ id: 're_2', intentId, amount: 1500, created: T + 30 }), { created: T + 30 }));
    expect((await h.stored())?.refunds.map((r) => r.id)).toEqual(['re_1', 're_2']);
    expect(h.publisher.events().map((e) => e.type)).toEqual(['payment.refunded', 'payment.refunded']);
  });

  it('keeps a refund the API recorded as it is when its refund.created comes, and appends a listed refund even from a stale charge.refunded', async () => {
    const apiRefund = { id: 're_api', amount: 300, status: 'succeeded', reason: 'duplicate', createdAt: '2026-01-01T00:05:00.000Z' };
    const h = await withApiPayment({ status: 'partially_refunded', intentStatus: 'succeeded', amountReceived: 2000, amountRefunded: 300, refunds: [apiRefund] });
    const intentId = h.payment.stripePaymentIntentId;
    await h.useCase.execute(stripeEvent('refund.created', refundObject({ id: 're_api', intentId, amount: 300, reason: 'duplicate', metadata: { userId: h.userId, paymentId: h.payment.paymentId } }), { created: T }));
    expect(await h.stored()).toMatchObject({ refunds: [apiRefund], amountRefunded: 300, version: 1 });
    // A later refund reached the record first; the older charge.refunded is stale but its listed refund is still a fact.
    await h.useCase.execute(chargeRefundedEvent({ intentId, refunded: 1000, before: 300 }, { created: T + 40 }));
    const older = stripeEvent('charge.refunded', chargeObject({ intentId, refunded: 300, refunds: [{ id: 're_api', amount: 300, created: T }] }), { created: T + 5, previousAttributes: { amount_refunded: 0 } });
    expect((await h.useCase.execute(older)).outcome).toBe('out_of_order');
    expect(await h.stored()).toMatchObject({ refunds: [apiRefund], amountRefunded: 1000 });
    // A refund of an intent we hold no payment for may only be early: retried, not acknowledged.
    await expect(h.useCase.execute(stripeEvent('refund.created', refundObject({ id: 're_x', intentId: 'pi_unknown', amount: 1 })), { lastDelivery: false })).rejects.toBeInstanceOf(EventNotApplicableYetError);
  });

  it('still reports the success when a later refund was applied first: the entitlement hangs on it', async () => {
    const h = await withApiPayment();
    await h.useCase.execute(chargeRefundedEvent({ intentId: h.payment.stripePaymentIntentId, refunded: 500, before: 0 }, { created: T + 20 }));
    const late = await h.useCase.execute(stripeEvent('payment_intent.succeeded', h.intent('succeeded'), { created: T }));
    expect(late.outcome).toBe('out_of_order');
    expect(late.published).toEqual([expect.objectContaining({ type: 'payment.successful', data: expect.objectContaining({ status: 'partially_refunded', amountRefunded: 500 }) })]);
    expect(h.publisher.events().map((e) => e.type)).toEqual(['payment.refunded', 'payment.successful']);
    expect(await h.stored()).toMatchObject({ status: 'partially_refunded', amountReceived: 2000, amountRefunded: 500 });
    expect(h.metrics.counts).toEqual({ processed: 1, outOfOrder: 1 });
    // The stale event's billing event is counted as published too.
    expect(h.metrics.published).toBe(2);
  });

  it('reports a cancellation with its reason and a dispute with its details', async () => {
    const canceled = await withApiPayment();
    await canceled.useCase.execute(stripeEvent('payment_intent.canceled', canceled.intent('canceled', { cancellationReason: 'abandoned' }), { created: T }));
    expect(canceled.publisher.events()[0]).toMatchObject({ type: 'payment.canceled', data: { status: 'canceled', cancellationReason: 'abandoned' } });

    const disputed = await withApiPayment({ status: 'succeeded', intentStatus: 'succeeded', amountReceived: 2000 });
    const dispute = { id: 'dp_1', object: 'dispute', amount: 2000, currency: 'usd', reason: 'fraudulent', status: 'needs_response', charge: 'ch_1', payment_intent: disputed.payment.stripePaymentIntentId };
    await disputed.useCase.execute(stripeEvent('charge.dispute.created', dispute, { created: T }));
    expect(disputed.publisher.events()[0]).toMatchObject({ type: 'payment.disputed', data: { status: 'succeeded', dispute: { disputeId: 'dp_1', amount: 2000, reason: 'fraudulent', status: 'needs_response' } } });
    expectPublishedEventsMatchSchemas([...canceled.publisher.events(), ...disputed.publisher.events()]);
  });

  it('makes one record for an intent a checkout created (its metadata names our user), whichever of its events comes first', async () => {
    const h = await eventsWorkerHarness();
    const intentId = 'pi_checkout1';
    const object = (status: string) => intentObject({ id: intentId, status, metadata: { userId: h.userId, checkoutId: 'chk_1', localPriceId: 'price-local-1' }, created: T - 60 });
    await Promise.all([
      h.useCase.execute(stripeEvent('payment_intent.succeeded', object('succeeded'), { created: T })),
      h.useCase.execute(stripeEvent('payment_intent.created', object('requires_payment_method'), { created: T - 60 })),
    ]);
    const paymentId = derivedPaymentId(intentId, T - 60);
    expect(paymentId).toMatch(/^pay_[0-9a-z]{26}$/);
    expect(await h.payments.get(h.userId, paymentId)).toMatchObject({ status: 'succeeded', stripePaymentIntentId: intentId, metadata: { checkoutId: 'chk_1', localPriceId: 'price-local-1' } });
    expect(await h.payments.findByPaymentIntentId(intentId)).toMatchObject({ paymentId });
    expect(h.publisher.events()).toEqual([expect.objectContaining({ type: 'payment.successful', data: expect.objectContaining({ paymentId, metadata: { checkoutId: 'chk_1', localPriceId: 'price-local-1' } }) })]);
  });

  it('retries a refund that beat its checkout payment\'s first event until the queue\'s last delivery, then applies it once the payment is there', async () => {
    const h = await eventsWorkerHarness();
    const intentId = 'pi_checkout_early';
    const refund = chargeRefundedEvent({ intentId, refunded: 500, before: 0 }, { created: T + 20 });
    // Not acknowledged: the payment may only be early (its intent event still queued, an index lagging).
    await expect(h.useCase.execute(refund, { lastDelivery: false })).rejects.toBeInstanceOf(EventNotApplicableYetError);
    await expect(h.useCase.execute(stripeEvent('invoice.paid', invoiceObject({ id: 'in_early', customer: 'cus_new', paid: true })), { lastDelivery: false })).rejects.toBeInstanceOf(EventNotApplicableYetError);
    expect(h.metrics.counts).toEqual({ failedTransient: 2 });
    expect((await h.store.get(refund.eventId))?.status).not.toBe('processed');
    await h.useCase.execute(stripeEvent('payment_intent.succeeded', intentObject({ id: intentId, status: 'succeeded', metadata: { userId: h.userId, checkoutId: 'chk_1' } }), { created: T }));
    expect((await h.useCase.execute(refund, { lastDelivery: false })).outcome).toBe('processed');
    expect(h.publisher.events().map((e) => [e.type, e.source.stripeEventId])).toEqual([
      ['payment.successful', expect.any(String)],
      ['payment.refunded', refund.eventId],
    ]);
    // An intent that names no user of ours never will: acknowledged at once, whatever the delivery.
    await expect(h.useCase.execute(stripeEvent('payment_intent.succeeded', intentObject({ id: 'pi_foreign', status: 'succeeded' })), { lastDelivery: false })).rejects.toBeInstanceOf(UnknownPaymentError);
  });

  it('makes the row under the API\'s own payment id when the intent\'s first event beats the API\'s write, which then finds it instead of adding a second', async () => {
    const h = await eventsWorkerHarness();
    const payment = samplePayment(h.userId, { stripeCustomerId: h.stripeCustomerId, amount: 2000, stripeUpdatedAt: T - 60 });
    const metadata = { userId: h.userId, paymentId: payment.paymentId };
    await h.useCase.execute(stripeEvent('payment_intent.created', intentObject({ id: payment.stripePaymentIntentId, status: 'requires_payment_method', metadata, created: T - 60 }), { created: T - 60 }));
    expect(await h.payments.get(h.userId, payment.paymentId)).toMatchObject({ stripePaymentIntentId: payment.stripePaymentIntentId, amount: 2000 });
    expect(await h.payments.get(h.userId, derivedPaymentId(payment.stripePaymentIntentId, T - 60))).toBeUndefined();
    const apiWrite = await h.payments.create(payment);
    expect(apiWrite).toMatchObject({ created: false, payment: { paymentId: payment.paymentId, stripePaymentIntentId: payment.stripePaymentIntentId } });
  });

  it('refuses, as permanent on the last delivery, an intent not made through this service and one naming a user who is not its customer', async () => {
    const h = await eventsWorkerHarness();
    await expect(h.useCase.execute(stripeEvent('payment_intent.succeeded', intentObject({ id: 'pi_foreign', status: 'succeeded' })))).rejects.toBeInstanceOf(UnknownPaymentError);
    await expect(h.useCase.execute(stripeEvent('payment_intent.succeeded', intentObject({ id: 'pi_other', status: 'succeeded', metadata: { userId: 'user-unknown' } })))).rejects.toBeInstanceOf(UnknownUserError);
    await expect(h.useCase.execute(stripeEvent('payment_intent.succeeded', intentObject({ id: 'pi_wrong', status: 'succeeded', customer: 'cus_someone_else', metadata: { userId: h.userId } })))).rejects.toBeInstanceOf(UnknownUserError);
    await expect(h.useCase.execute(stripeEvent('charge.refunded', chargeObject({ intentId: 'pi_nowhere', refunded: 10 })))).rejects.toBeInstanceOf(UnknownPaymentError);
    expect(h.publisher.published).toHaveLength(0);
    expect(h.metrics.counts).toEqual({ failedPermanent: 4 });
  });
});

describe('ProcessStripeEvent: customers', () => {
  const customer = (h: { userId: string; stripeCustomerId: string }, email: string | null, extra: Record<string, unknown> = {}) => ({
    id: h.stripeCustomerId, object: 'customer', email, metadata: { userId: h.userId }, ...extra,
  });
  const emailChange = (h: { userId: string; stripeCustomerId: string }, from: string | null, to: string, created: number) =>
    stripeEvent('customer.updated', customer(h, to), { created, previousAttributes: { email: from } });

  it('follows an email changed in Stripe, never moved back by an older event, and publishes nothing', async () => {
    const h = await eventsWorkerHarness();
    expect(await h.useCase.execute(emailChange(h, null, 'a@example.com', T))).toMatchObject({ outcome: 'processed', published: [] });
    expect(await h.customers.get(h.userId)).toMatchObject({ email: 'a@example.com', status: 'active', stripeCustomerId: h.stripeCustomerId, lastStripeEventCreated: T });
    await h.useCase.execute(emailChange(h, 'a@example.com', 'b@example.com', T + 10));
    expect((await h.useCase.execute(emailChange(h, null, 'a@example.com', T + 5))).outcome).toBe('out_of_order');
    expect((await h.customers.get(h.userId))?.email).toBe('b@example.com');
    expect(h.metrics.counts).toEqual({ processed: 2, outOfOrder: 1 });
    expect(h.publisher.published).toHaveLength(0);
  });

  it('orders two email changes of one second by their previous_attributes, whichever arrives first', async () => {
    for (const order of [[0, 1], [1, 0]]) {
      const h = await eventsWorkerHarness();
      const changes = [emailChange(h, null, 'a@example.com', T), emailChange(h, 'a@example.com', 'b@example.com', T)];
      const outcomes = [];
      for (const i of order) outcomes.push((await h.useCase.execute(changes[i]!)).outcome);
      expect((await h.customers.get(h.userId))?.email).toBe('b@example.com');
      // Arriving second, the first change is what the record has moved past.
      expect(outcomes).toEqual(order[0] === 0 ? ['processed', 'processed'] : ['processed', 'out_of_order']);
    }
  });

  it('detaches the record from a customer deleted in Stripe, keeps the user\'s late events reaching them, and ignores the dead customer\'s updates', async () => {
    const h = await eventsWorkerHarness();
    await h.useCase.execute(emailChange(h, null, 'a@example.com', T));
    const sub = subscriptionObject({ id: 'sub_1', status: 'active', customer: h.stripeCustomerId, metadata: { userId: h.userId } });
    await h.useCase.execute(stripeEvent('customer.subscription.created', sub, { created: T }));
    const deletion = stripeEvent('customer.deleted', customer(h, 'a@example.com'), { created: T + 10 });
    expect(await h.useCase.execute(deletion)).toMatchObject({ outcome: 'processed', published: [] });
    const record = await h.customers.get(h.userId);
    expect(record).toMatchObject({ status: 'creating', stripeCustomerId: undefined, leaseExpiresAt: 0, email: 'a@example.com', deletedStripeCustomerIds: [h.stripeCustomerId] });
    expect(await h.customers.findByStripeCustomerId(h.stripeCustomerId)).toBeUndefined();
    // Stripe cancels the dead customer's subscriptions: their end still reaches our user, found by the metadata.
    const ended = await h.useCase.execute(stripeEvent('customer.subscription.deleted', subscriptionObject({ id: 'sub_1', status: 'canceled', customer: h.stripeCustomerId, reason: 'cancellation_requested', metadata: { userId: h.userId } }), { created: T + 10 }));
    expect(ended.published).toEqual([expect.objectContaining({ type: 'subscription.canceled', userId: h.userId })]);
    // A late update of the dead customer changes nothing; a deletion redelivered under another id neither.
    expect((await h.useCase.execute(emailChange(h, 'a@example.com', 'late@example.com', T + 5))).outcome).toBe('out_of_order');
    expect((await h.useCase.execute(stripeEvent('customer.deleted', customer(h, 'a@example.com'), { created: T + 10 }))).outcome).toBe('processed');
    expect(await h.customers.get(h.userId)).toEqual(record);
  });

  it('still makes the payment of a checkout paid by a customer deleted since, and publishes its payment.successful, also after the user came back', async () => {
    for (const comeBack of [false, true]) {
      const h = await eventsWorkerHarness();
      const dead = h.stripeCustomerId;
      await h.useCase.execute(stripeEvent('customer.deleted', customer(h, null), { created: T + 10 }));
      if (comeBack) await h.customers.complete(h.userId, 'cus_new', undefined, 'x');
      const intentId = `pi_paid_before_deletion_${String(comeBack)}`;
      const paid = intentObject({ id: intentId, status: 'succeeded', customer: dead, metadata: { userId: h.userId, checkoutId: 'chk_1' }, created: T - 60 });
      const result = await h.useCase.execute(stripeEvent('payment_intent.succeeded', paid, { created: T }));
      expect(result.published).toEqual([expect.objectContaining({ type: 'payment.successful', userId: h.userId, stripeCustomerId: dead })]);
      expect(await h.payments.findByPaymentIntentId(intentId)).toMatchObject({ userId: h.userId, stripeCustomerId: dead, status: 'succeeded' });
    }
  });

  it('publishes the invoices of a customer deleted since for its user, named by the subscription metadata the invoice carries', async () => {
    const h = await eventsWorkerHarness();
    const dead = h.stripeCustomerId;
    await h.useCase.execute(stripeEvent('customer.deleted', customer(h, null), { created: T + 10 }));
    const tagged = { userId: h.userId, localPriceId: 'price-local-1' };
    const renewal = invoiceObject({ id: 'in_renewal', customer: dead, subscription: 'sub_1', subscriptionMetadata: tagged, paid: true });
    const dunning = invoiceObject({ id: 'in_dunning', customer: dead, subscription: 'sub_1', subscriptionMetadata: tagged, paid: false });
    // API versions before 2025-03-31 put the snapshot on the invoice itself.
    const older = { ...invoiceObject({ id: 'in_older', customer: dead, paid: true }), subscription: 'sub_1', subscription_details: { metadata: tagged } };
    for (const [type, object] of [['invoice.paid', renewal], ['invoice.payment_failed', dunning], ['invoice.paid', older]] as const) {
      await h.useCase.execute(stripeEvent(type, object, { created: T + 20 }));
    }
    expect(h.publisher.events().map((e) => [e.type, e.userId, e.stripeCustomerId])).toEqual([
      ['invoice.paid', h.userId, dead],
      ['invoice.payment_failed', h.userId, dead],
      ['invoice.paid', h.userId, dead],
    ]);
    // The metadata is held to the customer: one this user never was is not theirs.
    const foreign = invoiceObject({ id: 'in_foreign', customer: 'cus_someone_else', subscription: 'sub_9', subscriptionMetadata: tagged, paid: true });
    await expect(h.useCase.execute(stripeEvent('invoice.paid', foreign, { created: T + 20 }))).rejects.toBeInstanceOf(UnknownUserError);
  });

  it('acknowledges at once a customer this service never tagged, and retries one it tagged whose record is not there yet', async () => {
    const h = await eventsWorkerHarness();
    const stranger = stripeEvent('customer.updated', { id: 'cus_dashboard', object: 'customer', email: 'x@example.com', metadata: {} }, { previousAttributes: { email: null } });
    await expect(h.useCase.execute(stranger, { lastDelivery: false })).rejects.toBeInstanceOf(UnknownUserError);
    const early = stripeEvent('customer.updated', { id: 'cus_new', object: 'customer', email: 'y@example.com', metadata: { userId: 'user-new' } }, { previousAttributes: { email: null } });
    await expect(h.useCase.execute(early, { lastDelivery: false })).rejects.toBeInstanceOf(EventNotApplicableYetError);
    expect(h.metrics.counts).toEqual({ failedPermanent: 1, failedTransient: 1 });
  });
});

describe('ProcessStripeEvent: subscriptions, invoices, checkout, other types', () => {
  it('keeps the subscription record from created to deleted, deciding canceled or expired from the reason', async () => {
    const h = await eventsWorkerHarness();
    const sub = (status: string, extra: Partial<Parameters<typeof subscriptionObject>[0]> = {}) => subscriptionObject({ id: 'sub_1', status, metadata: { userId: h.userId, localPriceId: 'price-local-1' }, ...extra });
    await h.useCase.execute(stripeEvent('customer.subscription.created', sub('active'), { created: T }));
    await h.useCase.execute(stripeEvent('customer.subscription.updated', sub('active', { cancelAtPeriodEnd: true, quantity: 2 }), { created: T + 5 }));
    expect(await h.subscriptions.get(h.userId, 'sub_1')).toMatchObject({ status: 'active', quantity: 2, cancelAtPeriodEnd: true, priceId: 'price-local-1', stripePriceId: 'price_basic', version: 2 });
    await h.useCase.execute(stripeEvent('customer.subscription.deleted', sub('canceled', { canceledAt: T + 9, reason: 'cancellation_requested' }), { created: T + 9 }));
    // An update from before the deletion arrives last: the subscription stays ended.
    expect((await h.useCase.execute(stripeEvent('customer.subscription.updated', sub('past_due'), { created: T + 7 }))).outcome).toBe('out_of_order');
    expect(await h.subscriptions.get(h.userId, 'sub_1')).toMatchObject({ status: 'canceled', endReason: 'cancellation_requested', version: 3 });
    expect(h.publisher.events().map((e) => e.type)).toEqual(['subscription.created', 'subscription.updated', 'subscription.canceled']);
    expect(h.publisher.events()[2]).toMatchObject({ data: { subscriptionId: 'sub_1', status: 'canceled', endReason: 'cancellation_requested', canceledAt: new Date((T + 9) * 1000).toISOString() } });

    // The creation arriving after the end is still reported, with the subscription as it stands (ended).
    const lateCreation = await h.useCase.execute(stripeEvent('customer.subscription.created', sub('active'), { created: T - 1 }));
    expect(lateCreation.outcome).toBe('out_of_order');
    expect(lateCreation.published).toEqual([expect.objectContaining({ type: 'subscription.created', data: expect.objectContaining({ status: 'canceled' }) })]);

    const lapsed = await eventsWorkerHarness();
    await lapsed.useCase.execute(stripeEvent('customer.subscription.deleted', subscriptionObject({ id: 'sub_2', status: 'canceled', reason: 'payment_failed' }), { created: T }));
    expect(lapsed.publisher.events()[0]).toMatchObject({ type: 'subscription.expired', data: { endReason: 'payment_failed' } });
    expectPublishedEventsMatchSchemas([...h.publisher.events(), ...lapsed.publisher.events()]);
  });

  it('keeps the end reason through later updates, and decides a late deletion from its own reason', async () => {
    const h = await eventsWorkerHarness();
    const sub = (status: string, extra: Partial<Parameters<typeof subscriptionObject>[0]> = {}) => subscriptionObject({ id: 'sub_1', status, ...extra });
    await h.useCase.execute(stripeEvent('customer.subscription.deleted', sub('canceled', { canceledAt: T, reason: 'cancellation_requested' }), { created: T }));
    await h.useCase.execute(stripeEvent('customer.subscription.updated', sub('canceled', { canceledAt: T, reason: 'cancellation_requested' }), { created: T + 5 }));
    expect(await h.subscriptions.get(h.userId, 'sub_1')).toMatchObject({ status: 'canceled', endReason: 'cancellation_requested' });
    expect(h.publisher.events()[1]).toMatchObject({ type: 'subscription.updated', data: { endReason: 'cancellation_requested' } });

    // The update after the end reached the record first: the deletion is still "canceled", as requested.
    const late = await eventsWorkerHarness();
    await late.useCase.execute(stripeEvent('customer.subscription.updated', sub('canceled', { canceledAt: T, reason: 'cancellation_requested' }), { created: T + 5 }));
    const deletion = await late.useCase.execute(stripeEvent('customer.subscription.deleted', sub('canceled', { canceledAt: T, reason: 'cancellation_requested' }), { created: T }));
    expect(deletion.published).toEqual([expect.objectContaining({ type: 'subscription.canceled', data: expect.objectContaining({ endReason: 'cancellation_requested' }) })]);
  });

  it('applies a subscription update of the same second and rank instead of dropping it', async () => {
    const h = await eventsWorkerHarness();
    await h.useCase.execute(stripeEvent('customer.subscription.updated', subscriptionObject({ id: 'sub_1', status: 'active', quantity: 1 }), { created: T }));
    expect((await h.useCase.execute(stripeEvent('customer.subscription.updated', subscriptionObject({ id: 'sub_1', status: 'active', quantity: 3 }), { created: T }))).outcome).toBe('processed');
    expect(await h.subscriptions.get(h.userId, 'sub_1')).toMatchObject({ quantity: 3 });
  });

  it('orders two updates of one second and status by their previous_attributes, so the earlier arriving last does not win', async () => {
    const h = await eventsWorkerHarness();
    const sub = (quantity: number) => subscriptionObject({ id: 'sub_1', status: 'active', quantity });
    const items = (quantity: number) => ({ data: [{ id: 'si_1', price: { id: 'price_basic' }, quantity, current_period_end: 1_769_904_000 }] });
    await h.useCase.execute(stripeEvent('customer.subscription.created', sub(1), { created: T - 5 }));
    const second = stripeEvent('customer.subscription.updated', sub(3), { created: T, previousAttributes: { items: items(2) } });
    const first = stripeEvent('customer.subscription.updated', sub(2), { created: T, previousAttributes: { items: items(1) } });
    expect((await h.useCase.execute(second)).outcome).toBe('processed');
    const late = await h.useCase.execute(first);
    expect(late).toMatchObject({ outcome: 'out_of_order', published: [] });
    expect(await h.subscriptions.get(h.userId, 'sub_1')).toMatchObject({ quantity: 3, lastStripeEventId: second.eventId });
  });

  it('publishes invoices and checkout sessions for the customer\'s user', async () => {
    const h = await eventsWorkerHarness();
    await h.useCase.execute(stripeEvent('invoice.paid', invoiceObject({ id: 'in_1', subscription: 'sub_1', paid: true }), { created: T }));
    await h.useCase.execute(stripeEvent('invoice.payment_failed', invoiceObject({ id: 'in_2', subscription: 'sub_1', paid: false, attemptCount: 2, nextAttempt: T + 86_400 }), { created: T }));
    await h.useCase.execute(stripeEvent('checkout.session.completed', checkoutObject({ id: 'cs_1', intentId: 'pi_1', metadata: { userId: h.userId, localPriceId: 'price-local-1' } }), { created: T }));
    await h.useCase.execute(stripeEvent('checkout.session.expired', checkoutObject({ id: 'cs_2', paid: false }), { created: T }));
    expect(h.publisher.events()).toEqual([
      expect.objectContaining({ type: 'invoice.paid', userId: h.userId, data: expect.objectContaining({ invoiceId: 'in_1', subscriptionId: 'sub_1', amountPaid: 1500 }) }),
      expect.objectContaining({ type: 'invoice.payment_failed', data: expect.objectContaining({ attemptCount: 2, nextPaymentAttempt: new Date((T + 86_400) * 1000).toISOString() }) }),
      expect.objectContaining({ type: 'checkout.completed', data: expect.objectContaining({ checkoutSessionId: 'cs_1', paymentIntentId: 'pi_1', priceId: 'price-local-1', paymentStatus: 'paid' }) }),
      expect.objectContaining({ type: 'checkout.expired', data: expect.objectContaining({ checkoutSessionId: 'cs_2', paymentStatus: 'unpaid' }) }),
    ]);
    expectPublishedEventsMatchSchemas(h.publisher.events());
    await expect(h.useCase.execute(stripeEvent('invoice.paid', invoiceObject({ id: 'in_3', customer: 'cus_stranger', paid: true })))).rejects.toBeInstanceOf(UnknownUserError);
  });

  it('publishes an invoice\'s failure as null, whatever payment rows hold and in whichever order events came, so two deliveries of one event agree', async () => {
    const h = await eventsWorkerHarness();
    const decline = { code: 'card_declined', declineCode: 'insufficient_funds', message: 'Your card has insufficient funds.' };
    const failed = stripeEvent('invoice.payment_failed', { ...invoiceObject({ id: 'in_1', subscription: 'sub_1', paid: false }), payment_intent: 'pi_attempt' }, { created: T });
    // The first delivery crashes before the mark, while no row of the attempt's intent exists yet.
    const original = h.store.markProcessed.bind(h.store);
    h.store.markProcessed = async () => {
      throw new Error('crashed before the mark');
    };
    await expect(h.useCase.execute(failed)).rejects.toThrow('crashed before the mark');
    h.store.markProcessed = original;
    // Then the attempt's failure is recorded on a row of the user's, before the redelivery.
    await h.payments.create(samplePayment(h.userId, { stripeCustomerId: h.stripeCustomerId, stripePaymentIntentId: 'pi_attempt', status: 'failed', intentStatus: 'failed', lastError: decline }));
    await h.useCase.execute(failed);
    const published = h.publisher.events();
    expect(published.map((e) => [e.id, e.type === 'invoice.payment_failed' ? e.data.failure : 'other'])).toEqual([
      [`bevt_${failed.eventId}`, null],
      [`bevt_${failed.eventId}`, null],
    ]);
    expectPublishedEventsMatchSchemas(published);
  });

  it('acknowledges a type it does not handle, marks it processed and counts it', async () => {
    const h = await eventsWorkerHarness();
    const message = stripeEvent('customer.tax_id.created', { id: 'txi_1' });
    expect((await h.useCase.execute(message)).outcome).toBe('unknown_type');
    expect((await h.store.get(message.eventId))?.status).toBe('processed');
    expect(h.metrics.counts).toEqual({ unknownType: 1 });
    expect(h.publisher.published).toHaveLength(0);
  });

  it('refuses, as permanent, a payload of a handled type that lacks what is needed', async () => {
    const h = await eventsWorkerHarness();
    await expect(h.useCase.execute(stripeEvent('payment_intent.succeeded', { id: 'pi_1', status: 'succeeded' }))).rejects.toBeInstanceOf(MalformedStripeEventError);
    await expect(h.useCase.execute(stripeEvent('payment_intent.succeeded', { ...intentObject({ id: 'pi_1', status: 'teleported' }) }))).rejects.toThrow('unknown payment intent status');
    await expect(h.useCase.execute(stripeEvent('charge.refunded', { ...chargeObject({ intentId: 'pi_1', refunded: 1 }), payment_intent: null }))).rejects.toThrow('names no payment intent');
    await expect(h.useCase.execute({ ...stripeEvent('invoice.paid', {}), payload: null })).rejects.toBeInstanceOf(MalformedStripeEventError);
    expect(h.metrics.counts).toEqual({ failedPermanent: 4 });
  });

  it('acknowledges as a duplicate an event processed before, whatever its payload now', async () => {
    const h = await eventsWorkerHarness();
    const message = stripeEvent('payment_intent.succeeded', { id: 'pi_1', status: 'succeeded' });
    await h.store.markProcessed(message.eventId, h.clock.now(), 3600);
    expect((await h.useCase.execute(message)).outcome).toBe('duplicate');
    expect(h.metrics.counts).toEqual({ duplicate: 1 });
  });
});

describe('ProcessStripeEvent: reads and marks', () => {
  it('reads the payment its ids name while the webhook record is read, not after', async () => {
    const h = await withApiPayment();
    const order: string[] = [];
    let release: () => void = () => undefined;
    const get = h.store.get.bind(h.store);
    h.store.get = async (eventId) => {
      order.push('event record asked');
      await new Promise<void>((resolve) => (release = resolve));
      return get(eventId);
    };
    const getPayment = h.payments.get.bind(h.payments);
    h.payments.get = async (userId, paymentId) => {
      order.push('payment asked');
      return getPayment(userId, paymentId);
    };
    const running = h.useCase.execute(stripeEvent('payment_intent.succeeded', h.intent('succeeded'), { created: T }));
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['event record asked', 'payment asked']);
    release();
    expect((await running).outcome).toBe('processed');
    expect(await h.stored()).toMatchObject({ status: 'succeeded', version: 2 });
  });

  it('marks processed keeping the receipt as the ingress recorded it, from the record it read first', async () => {
    const h = await withApiPayment();
    const message = stripeEvent('payment_intent.succeeded', h.intent('succeeded'), { created: T });
    const receivedAt = h.clock.now() - 5_000;
    await h.store.recordReceipt({ eventId: message.eventId, type: message.type, nowMs: receivedAt, ttlSeconds: 3600 });
    const marks: unknown[] = [];
    const mark = h.store.markProcessed.bind(h.store);
    h.store.markProcessed = async (...args) => {
      marks.push(args[3]);
      return mark(...args);
    };
    await h.useCase.execute(message);
    expect(marks).toEqual([{ record: expect.objectContaining({ eventId: message.eventId, status: 'received', receivedAt }) }]);
    expect(await h.store.get(message.eventId)).toMatchObject({ status: 'processed', type: 'payment_intent.succeeded', receivedAt, processedAt: h.clock.now() });
  });
});
