import { StripeEventTranslator } from '../../../src/adapters/stripe/stripe-event-translator';
import { MalformedStripeEventError } from '../../../src/application/webhooks/event-errors';
import { chargeObject, chargeRefundedEvent, checkoutObject, intentObject, invoiceObject, stripeEvent, subscriptionObject } from '../../support/stripe-event-payloads';

const translator = new StripeEventTranslator();
const translate = (type: string, object: Record<string, unknown>) => translator.translate(type, stripeEvent(type, object).payload);

describe('StripeEventTranslator', () => {
  it('maps every intent event to our status, the decline to failed with its reasons', () => {
    const cases: [string, string, string][] = [
      ['payment_intent.created', 'requires_payment_method', 'pending'],
      ['payment_intent.processing', 'processing', 'processing'],
      ['payment_intent.requires_action', 'requires_action', 'requires_action'],
      ['payment_intent.amount_capturable_updated', 'requires_capture', 'authorized'],
      ['payment_intent.canceled', 'canceled', 'canceled'],
      ['payment_intent.succeeded', 'succeeded', 'succeeded'],
    ];
    for (const [type, stripeStatus, ours] of cases) {
      expect(translate(type, intentObject({ id: 'pi_1', status: stripeStatus }))).toMatchObject({ kind: 'intent', snapshot: { status: ours } });
    }
    const failed = translate('payment_intent.payment_failed', intentObject({ id: 'pi_1', status: 'requires_payment_method', lastPaymentError: { code: 'card_declined', decline_code: 'stolen_card', message: 'Declined' } }));
    expect(failed).toMatchObject({ kind: 'intent', event: 'payment_failed', snapshot: { status: 'failed', lastError: { code: 'card_declined', declineCode: 'stolen_card', message: 'Declined' } } });
  });

  it('reads an intent\'s facts, with an expanded customer, and never a refund from the intent itself', () => {
    const change = translate('payment_intent.succeeded', { ...intentObject({ id: 'pi_1', status: 'succeeded', captureMethod: 'manual', metadata: { userId: 'u' } }), customer: { id: 'cus_expanded', object: 'customer' } });
    expect(change).toMatchObject({
      kind: 'intent',
      intent: { paymentIntentId: 'pi_1', stripeCustomerId: 'cus_expanded', currency: 'usd', captureMethod: 'manual', metadata: { userId: 'u' }, intentCreated: 1_767_225_600 },
      snapshot: { amount: 2000, amountReceived: 2000, amountRefunded: 0 },
    });
  });

  it('reports a refund\'s own amount from what the event says was refunded before it, never the running total in its place', () => {
    // A second partial refund of 500 after 300: the charge says 800 in all, previous_attributes 300.
    const second = chargeRefundedEvent({ intentId: 'pi_1', refunded: 800, before: 300 });
    expect(new StripeEventTranslator().translate(second.type, second.payload)).toMatchObject({ kind: 'refund', snapshot: { amountRefunded: 800 }, refund: { refundId: undefined, amount: 500 } });
    // Without previous_attributes or an expanded list the event does not say: no amount rather than the total.
    expect(translate('charge.refunded', chargeObject({ intentId: 'pi_1', refunded: 800 }))).toMatchObject({ snapshot: { amountRefunded: 800 }, refund: { refundId: undefined, amount: undefined } });
  });

  it('counts only what was refunded of a charge, not the released rest of a partial capture, and names the latest refund', () => {
    const partialCapture = stripeEvent('charge.refunded', { ...chargeObject({ intentId: 'pi_1', refunded: 1300 }), amount: 2000, amount_captured: 1200 }, { previousAttributes: { amount_refunded: 800 } });
    expect(new StripeEventTranslator().translate(partialCapture.type, partialCapture.payload)).toMatchObject({ kind: 'refund', snapshot: { status: 'succeeded', amount: 2000, amountReceived: 1200, amountRefunded: 500 }, refund: { refundId: undefined, amount: 500 } });
    const twoRefunds = {
      ...chargeObject({ intentId: 'pi_1', refunded: 900 }),
      refunds: { object: 'list', data: [{ id: 're_old', amount: 400, created: 10 }, { id: 're_new', amount: 500, created: 20 }] },
    };
    expect(translate('charge.refunded', twoRefunds)).toMatchObject({ refund: { refundId: 're_new', amount: 500 }, snapshot: { amountRefunded: 900 } });
  });

  it('finds an invoice\'s subscription where either API version puts it, and a subscription\'s period on its items or itself', () => {
    expect(translate('invoice.paid', invoiceObject({ id: 'in_1', subscription: 'sub_new', paid: true }))).toMatchObject({ invoice: { subscriptionId: 'sub_new' } });
    expect(translate('invoice.paid', { ...invoiceObject({ id: 'in_2', paid: true }), subscription: 'sub_old' })).toMatchObject({ invoice: { subscriptionId: 'sub_old' } });
    expect(translate('invoice.paid', invoiceObject({ id: 'in_3', paid: true }))).toMatchObject({ invoice: { subscriptionId: undefined } });
    const onItems = translate('customer.subscription.updated', subscriptionObject({ id: 'sub_1', status: 'active', periodEnd: 1_800_000_000, quantity: 3 }));
    expect(onItems).toMatchObject({ subscription: { currentPeriodEnd: new Date(1_800_000_000_000).toISOString(), quantity: 3, endReason: undefined } });
    const onSubscription = translate('customer.subscription.updated', { ...subscriptionObject({ id: 'sub_1', status: 'active' }), items: { object: 'list', data: [{ price: { id: 'p' }, quantity: 1 }] }, current_period_end: 1_700_000_000 });
    expect(onSubscription).toMatchObject({ subscription: { currentPeriodEnd: new Date(1_700_000_000_000).toISOString() } });
    // The end reason is read from a deletion only.
    expect(translate('customer.subscription.updated', subscriptionObject({ id: 'sub_1', status: 'active', reason: 'cancellation_requested' }))).toMatchObject({ subscription: { endReason: undefined } });
    expect(translate('customer.subscription.deleted', subscriptionObject({ id: 'sub_1', status: 'canceled', reason: 'payment_disputed' }))).toMatchObject({ event: 'deleted', subscription: { endReason: 'payment_disputed' } });
  });

  it('reads a customer\'s email and our user, and what an update says it was before, from previous_attributes', () => {
    const object = { id: 'cus_1', object: 'customer', email: 'new@example.com', metadata: { userId: 'u', plan: 'gold' } };
    const updated = stripeEvent('customer.updated', object, { previousAttributes: { email: 'old@example.com', metadata: { plan: null } } });
    expect(translator.translate(updated.type, updated.payload)).toEqual({
      kind: 'customer',
      event: 'updated',
      customer: { stripeCustomerId: 'cus_1', email: 'new@example.com' },
      previous: { stripeCustomerId: 'cus_1', email: 'old@example.com' },
      userId: 'u',
    });
    // An update of something else: the email before is the email now.
    const other = stripeEvent('customer.updated', object, { previousAttributes: { name: 'Jenny' } });
    expect(translator.translate(other.type, other.payload)).toMatchObject({ previous: { email: 'new@example.com' } });
    expect(translate('customer.updated', object)).toMatchObject({ previous: undefined });
    expect(translate('customer.deleted', { ...object, email: null })).toEqual({ kind: 'customer', event: 'deleted', customer: { stripeCustomerId: 'cus_1', email: undefined }, previous: undefined, userId: 'u' });
    expect(() => translate('customer.deleted', { object: 'customer' })).toThrow(MalformedStripeEventError);
  });

  it('rebuilds a subscription before its update from previous_attributes, nested objects by their keys and lists whole', () => {
    const object = subscriptionObject({ id: 'sub_1', status: 'active', quantity: 3, cancelAtPeriodEnd: true });
    const previousItems = { data: [{ id: 'si_1', price: { id: 'price_basic' }, quantity: 2, current_period_end: 1_769_904_000 }] };
    const event = stripeEvent('customer.subscription.updated', object, { previousAttributes: { items: previousItems, cancel_at_period_end: false, cancellation_details: { reason: null } } });
    expect(translator.translate(event.type, event.payload)).toMatchObject({ subscription: { quantity: 3, cancelAtPeriodEnd: true }, previous: { subscriptionId: 'sub_1', status: 'active', quantity: 2, cancelAtPeriodEnd: false } });
    // previous_attributes that do not read as a subscription are advisory: no previous state rather than a failed event.
    const odd = stripeEvent('customer.subscription.updated', object, { previousAttributes: { status: 42 } });
    expect(translator.translate(odd.type, odd.payload)).toMatchObject({ subscription: { quantity: 3 }, previous: undefined });
  });

  it('reads a refund of refund.created and the refunds a charge lists', () => {
    expect(translate('refund.created', { id: 're_1', object: 'refund', amount: 500, status: 'pending', reason: null, created: 1_767_225_700, payment_intent: 'pi_1', metadata: { userId: 'u' } })).toEqual({
      kind: 'refund_created',
      paymentIntentId: 'pi_1',
      metadata: { userId: 'u' },
      refund: { id: 're_1', amount: 500, status: 'pending', reason: undefined, createdAt: new Date(1_767_225_700_000).toISOString() },
    });
    expect(() => translate('refund.created', { id: 're_1', amount: 500, created: 1, payment_intent: null })).toThrow('names no payment intent');
    const listed = translate('charge.refunded', chargeObject({ intentId: 'pi_1', refunded: 900, refunds: [{ id: 're_a', amount: 400, created: 10 }, { id: 're_b', amount: 500, created: 20 }] }));
    expect(listed).toMatchObject({ refunds: [{ id: 're_a', amount: 400, status: 'succeeded' }, { id: 're_b', amount: 500, status: 'succeeded' }] });
    expect(translate('charge.refunded', chargeObject({ intentId: 'pi_1', refunded: 900 }))).toMatchObject({ refunds: [] });
  });

  it('reads the user of an invoice from the subscription metadata it carries, where either API version puts it', () => {
    const current = invoiceObject({ id: 'in_1', subscription: 'sub_1', subscriptionMetadata: { userId: 'u' }, paid: true });
    expect(translate('invoice.paid', current)).toMatchObject({ kind: 'invoice', userId: 'u', invoice: { subscriptionId: 'sub_1' } });
    const older = { ...invoiceObject({ id: 'in_2', paid: false }), subscription: 'sub_2', subscription_details: { metadata: { userId: 'u' } } };
    expect(translate('invoice.payment_failed', older)).toMatchObject({ userId: 'u', invoice: { subscriptionId: 'sub_2' } });
    expect(translate('invoice.paid', invoiceObject({ id: 'in_3', paid: true }))).toMatchObject({ userId: undefined });
  });

  it('reads checkout sessions with expanded or missing references', () => {
    const session = { ...checkoutObject({ id: 'cs_1', mode: 'subscription', metadata: { userId: 'u' } }), payment_intent: null, subscription: { id: 'sub_9', object: 'subscription' } };
    expect(translate('checkout.session.completed', session)).toMatchObject({ kind: 'checkout', event: 'completed', checkout: { mode: 'subscription', subscriptionId: 'sub_9', paymentIntentId: undefined, metadata: { userId: 'u' } } });
  });

  it('leaves types it does not handle to the caller, and refuses payloads that lack what it needs', () => {
    expect(translate('customer.tax_id.created', { id: 'txi_1' })).toBeUndefined();
    expect(() => translate('customer.subscription.created', { ...subscriptionObject({ id: 'sub_1', status: 'active' }), customer: null })).toThrow(MalformedStripeEventError);
    expect(() => translate('charge.dispute.created', { id: 'dp_1', amount: 1, reason: 'fraudulent', status: 'needs_response', payment_intent: null })).toThrow('names no payment intent');
    expect(() => translate('checkout.session.expired', { ...checkoutObject({ id: 'cs_1' }), mode: 'teleport' })).toThrow(/checkout\.session\.expired: mode/);
    expect(() => translator.translate('invoice.paid', { data: {} })).toThrow(MalformedStripeEventError);
  });

  it('refuses an intent without its creation time: each event would derive a different payment id from its own time', () => {
    const { created: _created, ...withoutCreated } = intentObject({ id: 'pi_1', status: 'succeeded', metadata: { userId: 'u' } });
    expect(() => translate('payment_intent.succeeded', withoutCreated)).toThrow(MalformedStripeEventError);
    expect(() => translate('payment_intent.succeeded', { ...withoutCreated, created: null })).toThrow('created');
  });
});
