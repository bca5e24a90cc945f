// What Stripe sends where a webhook consumer looks: event sequences, snapshots and test cards.
import Stripe from 'stripe';
import type { StripeEvent } from '../events';
import { CARD_PAYMENT_EVENTS, raw, startHarness, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.sim.stop();
});

/** The events one API request caused, oldest first. */
function eventsOf(requestId: string): StripeEvent[] {
  return h.sim
    .events()
    .filter((e) => e.request.id === requestId)
    .reverse();
}

const typesOf = (events: StripeEvent[]): string[] => events.map((e) => e.type);

async function monthlyPrice(amount = 1500): Promise<Stripe.Price> {
  return h.stripe.prices.create({ currency: 'usd', unit_amount: amount, recurring: { interval: 'month' }, product_data: { name: 'Plan' } });
}

async function customerWithCard(card: string): Promise<Stripe.Customer> {
  return h.stripe.customers.create({ payment_method: card, invoice_settings: { default_payment_method: card } });
}

/** A subscription's creation up to the attempt to pay its first invoice. */
const FIRST_INVOICE = ['customer.subscription.created', 'invoice.created', 'invoice.finalized', 'payment_intent.created'];

describe('subscriptions follow Stripe’s default payment_behavior (allow_incomplete)', () => {
  it('a paid first invoice: customer.subscription.created is already active, and no update follows', async () => {
    const customer = await customerWithCard('pm_card_visa');
    const sub = await h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: (await monthlyPrice()).id }] });
    expect(sub.status).toBe('active');
    const events = eventsOf(sub.lastResponse.requestId);
    expect(typesOf(events)).toEqual([...FIRST_INVOICE, ...CARD_PAYMENT_EVENTS.slice(1), 'invoice.paid', 'invoice.payment_succeeded']);
    expect(events[0]!.data.object).toMatchObject({ id: sub.id, status: 'active', latest_invoice: sub.latest_invoice });
  });

  it('a declined first invoice: created as incomplete, the invoice open, and no invented transition', async () => {
    const customer = await customerWithCard('pm_card_chargeCustomerFail');
    const sub = await h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: (await monthlyPrice()).id }] });
    expect(sub.status).toBe('incomplete');
    const events = eventsOf(sub.lastResponse.requestId);
    expect(typesOf(events)).toEqual([...FIRST_INVOICE, 'charge.failed', 'payment_intent.payment_failed', 'invoice.payment_failed']);
    expect(events[0]!.data.object).toMatchObject({ status: 'incomplete' });
    expect((await h.stripe.invoices.retrieve(sub.latest_invoice as string)).status).toBe('open');
  });

  it('error_if_incomplete: a 402 and no subscription; the intents Stripe has no simulation for are refused', async () => {
    const customer = await customerWithCard('pm_card_chargeCustomerFail');
    const price = await monthlyPrice();
    await expect(h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], payment_behavior: 'error_if_incomplete' })).rejects.toMatchObject({
      statusCode: 402,
      code: 'card_declined',
    });
    expect((await h.stripe.subscriptions.list({ customer: customer.id, status: 'all' })).data).toEqual([]);
    await expect(h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], payment_behavior: 'default_incomplete' })).rejects.toMatchObject({
      statusCode: 400,
      code: 'parameter_unknown',
      param: 'payment_behavior',
    });
  });

  it('subscription checkout: created already active, no customer.subscription.updated', async () => {
    const price = await monthlyPrice(900);
    const session = await h.stripe.checkout.sessions.create({ mode: 'subscription', line_items: [{ price: price.id, quantity: 1 }], success_url: 'http://127.0.0.1:1/ok' });
    const paid = await fetch(session.url!, {
      method: 'POST',
      body: new URLSearchParams({ email: 'seq@example.com', card_number: '4242424242424242', card_expiry: '12 / 40', card_cvc: '123', action: 'pay' }),
      redirect: 'manual',
    });
    expect(paid.status).toBe(303);
    const subscription = (await h.stripe.checkout.sessions.retrieve(session.id)).subscription as string;
    const about = h.sim.events().filter((e) => e.data.object.id === subscription);
    expect(about.map((e) => [e.type, e.data.object['status']])).toEqual([['customer.subscription.created', 'active']]);
  });
});

describe('capture_method automatic_async', () => {
  it('charge.succeeded has no balance transaction; charge.updated brings it', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 1200, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, allowed_payment_method_types: ['card'] });
    expect(pi.capture_method).toBe('automatic_async');
    const events = eventsOf(pi.lastResponse.requestId);
    expect(typesOf(events)).toEqual(CARD_PAYMENT_EVENTS);
    expect(events[1]!.data.object['balance_transaction']).toBeNull();
    expect(events[3]!.data.object['balance_transaction']).toMatch(/^txn_/);
    expect(events[3]!.data.previous_attributes).toEqual({ balance_transaction: null });
    expect((await h.stripe.charges.retrieve(pi.latest_charge as string)).balance_transaction).toBe(events[3]!.data.object['balance_transaction']);
  });

  it('capture_method automatic: the balance transaction is there at once and no charge.updated follows', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 1200, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, capture_method: 'automatic', allowed_payment_method_types: ['card'] });
    const events = eventsOf(pi.lastResponse.requestId);
    expect(typesOf(events)).toEqual(['payment_intent.created', 'charge.succeeded', 'payment_intent.succeeded']);
    expect(events[1]!.data.object['balance_transaction']).toMatch(/^txn_/);
  });
});

describe('customers.create with payment_method', () => {
  it('attaches it, and the same test id as default names that attached card', async () => {
    const customer = await h.stripe.customers.create({ payment_method: 'pm_card_visa', invoice_settings: { default_payment_method: 'pm_card_visa' } });
    const [card, ...others] = (await h.stripe.customers.listPaymentMethods(customer.id)).data;
    expect(others).toEqual([]);
    expect(card).toMatchObject({ customer: customer.id, card: { last4: '4242' } });
    expect(customer.invoice_settings.default_payment_method).toBe(card!.id);
    expect(typesOf(eventsOf(customer.lastResponse.requestId))).toEqual(['customer.created', 'payment_method.attached']);
  });

  it('refuses an unknown payment method, or a default that is not attached, and creates nothing', async () => {
    const before = h.sim.events().length;
    await expect(h.stripe.customers.create({ payment_method: 'pm_nope' })).rejects.toMatchObject({ code: 'resource_missing', param: 'payment_method' });
    await expect(h.stripe.customers.create({ invoice_settings: { default_payment_method: 'pm_card_visa' } })).rejects.toMatchObject({
      code: 'resource_missing',
      param: 'invoice_settings[default_payment_method]',
    });
    expect(h.sim.events().length).toBe(before);
  });
});

describe('test cards Stripe documents', () => {
  const confirmWith = (payment_method: string, customer?: string): Promise<Stripe.Response<Stripe.PaymentIntent>> =>
    h.stripe.paymentIntents.create({ amount: 700, currency: 'usd', payment_method, confirm: true, allowed_payment_method_types: ['card'], ...(customer ? { customer } : {}) });

  it('pm_card_visa_chargeDeclined declines with generic_decline', async () => {
    await expect(confirmWith('pm_card_visa_chargeDeclined')).rejects.toMatchObject({ statusCode: 402, code: 'card_declined', decline_code: 'generic_decline' });
  });

  it('pm_card_chargeCustomerFail and tok_chargeCustomerFail attach, then every charge declines', async () => {
    const customer = await h.stripe.customers.create({});
    const attached = await h.stripe.paymentMethods.attach('pm_card_chargeCustomerFail', { customer: customer.id });
    expect(attached).toMatchObject({ customer: customer.id, card: { last4: '0341' } });
    await expect(confirmWith(attached.id, customer.id)).rejects.toMatchObject({ statusCode: 402, code: 'card_declined' });
    const fromToken = await h.stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_chargeCustomerFail' } });
    await h.stripe.paymentMethods.attach(fromToken.id, { customer: customer.id });
    await expect(confirmWith(fromToken.id, customer.id)).rejects.toMatchObject({ statusCode: 402, decline_code: 'generic_decline' });
  });

  it('pm_card_createDisputeInquiry succeeds, then the bank opens an inquiry', async () => {
    const pi = await confirmWith('pm_card_createDisputeInquiry');
    expect(pi.status).toBe('succeeded');
    const events = eventsOf(pi.lastResponse.requestId);
    expect(typesOf(events)).toEqual([...CARD_PAYMENT_EVENTS, 'charge.dispute.created']);
    expect(events[4]!.data.object).toMatchObject({ charge: pi.latest_charge, payment_intent: pi.id, status: 'warning_needs_response', amount: 700 });
    expect(await h.stripe.charges.retrieve(pi.latest_charge as string)).toMatchObject({ disputed: true });
    const closed = await h.stripe.disputes.close(events[4]!.data.object.id);
    expect(closed.status).toBe('warning_closed');
  });
});

describe('a refund that fails after Stripe accepted it (pm_card_refundFail)', () => {
  it('is accepted as succeeded, then fails: the charge gives the amount back and Stripe\'s three failure events follow', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 900, currency: 'usd', payment_method: 'pm_card_refundFail', confirm: true, allowed_payment_method_types: ['card'] });
    expect(pi.status).toBe('succeeded');
    const other = await h.stripe.paymentIntents.create({ amount: 900, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, allowed_payment_method_types: ['card'] });
    const refund = await h.stripe.refunds.create({ payment_intent: pi.id, amount: 400 });
    const kept = await h.stripe.refunds.create({ payment_intent: other.id, amount: 400 });
    expect(refund).toMatchObject({ status: 'succeeded', amount: 400 });
    expect(refund.failure_reason).toBeUndefined();
    expect(typesOf(eventsOf(refund.lastResponse.requestId))).toEqual(['refund.created', 'charge.refunded']);
    expect(await h.stripe.charges.retrieve(pi.latest_charge as string)).toMatchObject({ amount_refunded: 400 });

    const failureEvents = () => h.sim.events().filter((e) => (e.data.object as { id?: string }).id === refund.id && e.type !== 'refund.created');
    const deadline = Date.now() + 10_000;
    while (failureEvents().length < 3 && Date.now() < deadline) await new Promise<void>((resolve) => setTimeout(resolve, 25));
    const events = failureEvents();
    expect(typesOf(events).sort()).toEqual(['charge.refund.updated', 'refund.failed', 'refund.updated']);
    for (const event of events) expect(event.data.object).toMatchObject({ id: refund.id, status: 'failed', failure_reason: 'expired_or_canceled_card', failure_balance_transaction: expect.stringMatching(/^txn_/) });
    // A moment later, as Stripe does it: never in the refund's own second.
    expect(Math.min(...events.map((e) => e.created))).toBeGreaterThan(refund.created);
    expect(events.find((e) => e.type === 'refund.updated')?.data.previous_attributes).toEqual({ status: 'succeeded', failure_reason: null, failure_balance_transaction: null });
    expect(await h.stripe.refunds.retrieve(refund.id)).toMatchObject({ status: 'failed', failure_reason: 'expired_or_canceled_card' });
    expect(await h.stripe.charges.retrieve(pi.latest_charge as string)).toMatchObject({ amount_refunded: 0, refunded: false });
    // Only that card's refunds fail.
    expect(await h.stripe.refunds.retrieve(kept.id)).toMatchObject({ status: 'succeeded' });
    // tok_refundFail names the same card.
    const fromToken = await h.stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_refundFail' } });
    expect(fromToken.card).toMatchObject({ last4: '5126' });
  });
});

describe('test clock events', () => {
  it('stay in /v1/events for 30 days of simulator time, whatever the clock’s frozen time or its deletion', async () => {
    const longAgo = h.sim.now() - 400 * 86400;
    const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: longAgo });
    const customer = await h.stripe.customers.create({ test_clock: clock.id, email: 'clocked@example.com' });
    await h.stripe.testHelpers.testClocks.del(clock.id);
    const listed = async (): Promise<string[]> => (await h.stripe.events.list({ limit: 100 })).data.filter((e) => (e.data.object as { id?: string }).id === customer.id).map((e) => e.type);
    expect(await listed()).toEqual(['customer.deleted', 'customer.created']);
    const { json } = await raw(h.sim, 'GET', `/v1/events?type=test_helpers.test_clock.created`);
    expect((json['data'] as { data: { object: { id: string } } }[]).some((e) => e.data.object.id === clock.id)).toBe(true);
    await h.sim.advanceClock(29 * 86400);
    expect(await listed()).toEqual(['customer.deleted', 'customer.created']);
    await h.sim.advanceClock(2 * 86400);
    expect(await listed()).toEqual([]);
  });
});

describe('nested parameters are applied or refused, never dropped', () => {
  const shipping = { name: 'Jenny Rosen', address: { line1: '510 Townsend St', postal_code: '94103', city: 'San Francisco', state: 'CA', country: 'US' } };

  it('shipping lands on the intent and its charge; an unknown or missing nested field is refused', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 900, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, allowed_payment_method_types: ['card'], shipping });
    expect(pi.shipping).toMatchObject({ name: 'Jenny Rosen', address: { line1: '510 Townsend St', line2: null, country: 'US' }, carrier: null });
    expect((await h.stripe.charges.retrieve(pi.latest_charge as string)).shipping).toEqual(pi.shipping);
    const unknown = await raw(h.sim, 'POST', '/v1/payment_intents', 'amount=900&currency=usd&shipping[name]=J&shipping[address][line1]=x&shipping[address][planet]=Mars');
    expect(unknown.status).toBe(400);
    expect(unknown.json['error']).toMatchObject({ code: 'parameter_unknown', param: 'shipping[address][planet]' });
    const nameless = await raw(h.sim, 'POST', '/v1/payment_intents', 'amount=900&currency=usd&shipping[address][line1]=x');
    expect(nameless.json['error']).toMatchObject({ code: 'parameter_missing', param: 'shipping[name]' });
  });

  it('payment_method_types other than card are refused, not answered as card', async () => {
    const sepa = await raw(h.sim, 'POST', '/v1/payment_intents', 'amount=900&currency=eur&payment_method_types[]=sepa_debit');
    expect(sepa.status).toBe(400);
    expect(sepa.json['error']).toMatchObject({ type: 'invalid_request_error', param: 'payment_method_types' });
    const session = await raw(h.sim, 'POST', '/v1/checkout/sessions', 'mode=payment&success_url=http://127.0.0.1:1/ok&line_items[0][price_data][currency]=eur&line_items[0][price_data][unit_amount]=900&line_items[0][price_data][product_data][name]=X&line_items[0][quantity]=1&payment_method_types[0]=sepa_debit');
    expect(session.json['error']).toMatchObject({ param: 'payment_method_types' });
  });

  it('payment_method_options[card][request_three_d_secure]=any asks for 3-D Secure even on a card that does not need it', async () => {
    const pi = await h.stripe.paymentIntents.create({
      amount: 900, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, allowed_payment_method_types: ['card'],
      payment_method_options: { card: { request_three_d_secure: 'any' } },
    });
    expect(pi.status).toBe('requires_action');
    expect(pi.payment_method_options?.card?.request_three_d_secure).toBe('any');
    const other = await raw(h.sim, 'POST', '/v1/payment_intents', 'amount=900&currency=usd&payment_method_options[card][network]=visa');
    expect(other.json['error']).toMatchObject({ code: 'parameter_unknown', param: 'payment_method_options[card][network]' });
  });

  it('payment_method_data creates the card it confirms with; Connect parameters are refused', async () => {
    const declined = await raw(
      h.sim,
      'POST',
      '/v1/payment_intents',
      'amount=900&currency=usd&confirm=true&payment_method_types[0]=card&payment_method_data[type]=card&payment_method_data[card][token]=tok_chargeDeclinedInsufficientFunds&payment_method_data[billing_details][name]=Pat',
    );
    expect(declined.json['error']).toMatchObject({ code: 'card_declined', decline_code: 'insufficient_funds' });
    const pm = await h.stripe.paymentMethods.retrieve((declined.json['error'] as { payment_method: { id: string } }).payment_method.id);
    expect(pm).toMatchObject({ billing_details: { name: 'Pat' }, card: { last4: '9995' } });
    const bad = await raw(h.sim, 'POST', '/v1/payment_intents', 'amount=900&currency=usd&payment_method_data[type]=card&payment_method_data[card][token]=tok_nope');
    expect(bad.json['error']).toMatchObject({ param: 'payment_method_data[card][token]' });
    const both = await raw(h.sim, 'POST', '/v1/payment_intents', 'amount=900&currency=usd&payment_method=pm_card_visa&payment_method_data[type]=card&payment_method_data[card][token]=tok_visa');
    expect(both.json['error']).toMatchObject({ param: 'payment_method_data' });
    const connect = await raw(h.sim, 'POST', '/v1/payment_intents', 'amount=900&currency=usd&on_behalf_of=acct_1');
    expect(connect.json['error']).toMatchObject({ code: 'parameter_unknown', param: 'on_behalf_of' });
  });

  it('checkout payment_intent_data[shipping] reaches the intent paid on the page; unknown payment_intent_data keys are refused', async () => {
    const price = await h.stripe.prices.create({ currency: 'usd', unit_amount: 1500, product_data: { name: 'Boxed' } });
    const session = await h.stripe.checkout.sessions.create({
      mode: 'payment', line_items: [{ price: price.id, quantity: 2 }], success_url: 'http://127.0.0.1:1/ok', payment_intent_data: { shipping },
    });
    const paid = await fetch(session.url!, {
      method: 'POST',
      body: new URLSearchParams({ email: 'ship@example.com', card_number: '4242424242424242', card_expiry: '12 / 40', card_cvc: '123', action: 'pay' }),
      redirect: 'manual',
    });
    expect(paid.status).toBe(303);
    const pi = await h.stripe.paymentIntents.retrieve((await h.stripe.checkout.sessions.retrieve(session.id)).payment_intent as string);
    expect(pi.shipping).toMatchObject({ name: 'Jenny Rosen', address: { city: 'San Francisco' } });
    const unknown = await raw(h.sim, 'POST', '/v1/checkout/sessions', `mode=payment&success_url=http://127.0.0.1:1/ok&line_items[0][price]=${price.id}&line_items[0][quantity]=1&payment_intent_data[application_fee_amount]=10`);
    expect(unknown.json['error']).toMatchObject({ code: 'parameter_unknown', param: 'payment_intent_data[application_fee_amount]' });
  });
});

describe('parameters Stripe knows are applied, or refused when nothing stands behind them', () => {
  it('list filters filter: delivery_success, type, transfer_group, customer_details[email], collection_method', async () => {
    const customer = await customerWithCard('pm_card_visa');
    // No webhook endpoint is registered, so every event counts as delivered.
    expect((await h.stripe.events.list({ delivery_success: false })).data).toEqual([]);
    expect((await h.stripe.events.list({ delivery_success: true, limit: 1 })).data).toHaveLength(1);
    expect((await h.stripe.paymentMethods.list({ customer: customer.id, type: 'sepa_debit' })).data).toEqual([]);
    expect((await h.stripe.customers.listPaymentMethods(customer.id, { type: 'card' })).data).toHaveLength(1);
    const pi = await h.stripe.paymentIntents.create({ amount: 900, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, allowed_payment_method_types: ['card'], transfer_group: 'order-9' });
    expect(pi.transfer_group).toBe('order-9');
    expect((await h.stripe.charges.list({ transfer_group: 'nobody' })).data).toEqual([]);
    expect((await h.stripe.checkout.sessions.list({ customer_details: { email: 'nobody@example.com' } })).data).toEqual([]);
    expect((await h.stripe.subscriptions.list({ collection_method: 'send_invoice' })).data).toEqual([]);
  });

  it('cancellation details are kept; Connect, multicapture, balance refunds and prorated credits are refused', async () => {
    const customer = await customerWithCard('pm_card_visa');
    const sub = await h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: (await monthlyPrice()).id }] });
    const noted = await h.stripe.subscriptions.update(sub.id, { cancellation_details: { comment: 'moving', feedback: 'too_expensive' } });
    expect(noted.cancellation_details).toMatchObject({ comment: 'moving', feedback: 'too_expensive' });
    await expect(h.stripe.subscriptions.cancel(sub.id, { prorate: true })).rejects.toMatchObject({ code: 'parameter_unknown', param: 'prorate' });
    const ended = await h.stripe.subscriptions.cancel(sub.id, { cancellation_details: { comment: 'moved' } });
    expect(ended.cancellation_details).toMatchObject({ comment: 'moved', feedback: 'too_expensive', reason: 'cancellation_requested' });

    const held = await h.stripe.paymentIntents.create({ amount: 900, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, capture_method: 'manual', allowed_payment_method_types: ['card'] });
    await expect(h.stripe.paymentIntents.capture(held.id, { final_capture: false })).rejects.toMatchObject({ code: 'parameter_unknown', param: 'final_capture' });
    await expect(h.stripe.paymentIntents.capture(held.id, { application_fee_amount: 10 })).rejects.toMatchObject({ code: 'parameter_unknown', param: 'application_fee_amount' });
    expect((await h.stripe.paymentIntents.capture(held.id, { statement_descriptor_suffix: 'ORDER 9' })).statement_descriptor_suffix).toBe('ORDER 9');
    await expect(h.stripe.refunds.create({ payment_intent: held.id, reverse_transfer: true })).rejects.toMatchObject({ code: 'parameter_unknown', param: 'reverse_transfer' });
    await expect(h.stripe.refunds.create({ customer: customer.id, origin: 'customer_balance', amount: 100, currency: 'usd' })).rejects.toMatchObject({ code: 'parameter_unknown' });
  });
});
