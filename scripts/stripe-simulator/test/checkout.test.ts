import Stripe from 'stripe';
import { startHarness, type Harness } from './helpers';
import { startReceiver, type WebhookReceiver } from './webhook-receiver';

let h: Harness;
let receiver: WebhookReceiver;
let secret: string;

beforeAll(async () => {
  receiver = await startReceiver();
  h = await startHarness({ webhookDelivery: { retryBaseMs: 20 } });
  secret = h.sim.addWebhookEndpoint({ url: receiver.url, enabledEvents: ['checkout.session.completed', 'checkout.session.expired'] }).secret;
});
afterAll(async () => {
  await h.sim.stop();
  await receiver.close();
});

const CARD = { card_expiry: '12 / 40', card_cvc: '123' };

async function oneTimePrice(amount = 2000): Promise<Stripe.Price> {
  return h.stripe.prices.create({ currency: 'usd', unit_amount: amount, product_data: { name: 'T-shirt' } });
}

async function monthlyPrice(amount = 1500): Promise<Stripe.Price> {
  return h.stripe.prices.create({ currency: 'usd', unit_amount: amount, recurring: { interval: 'month' }, product_data: { name: 'Pro plan' } });
}

async function paymentSession(extra: Partial<Stripe.Checkout.SessionCreateParams> = {}): Promise<Stripe.Checkout.Session> {
  const price = await oneTimePrice();
  return h.stripe.checkout.sessions.create({
    mode: 'payment',
    line_items: [{ price: price.id, quantity: 2 }],
    success_url: 'http://127.0.0.1:1/success?session_id={CHECKOUT_SESSION_ID}',
    cancel_url: 'http://127.0.0.1:1/cancel',
    ...extra,
  });
}

/** Submits the hosted page's form as a browser would (no redirect following). */
async function submit(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
}

async function pay(session: Stripe.Checkout.Session, card: string, email = 'buyer@example.com'): Promise<Response> {
  return submit(session.url!, { email, card_number: card, billing_name: 'Bea Buyer', action: 'pay', ...CARD });
}

describe('checkout sessions through the SDK and the hosted page', () => {
  it('creates an open payment session with a hosted url and line items', async () => {
    const customer = await h.stripe.customers.create({ email: 'cs@example.com' });
    const session = await paymentSession({ customer: customer.id, metadata: { orderId: 'o1' } });
    expect(session.id).toMatch(/^cs_test_[A-Za-z0-9]{58}$/);
    expect(session).toMatchObject({
      object: 'checkout.session',
      mode: 'payment',
      status: 'open',
      payment_status: 'unpaid',
      amount_total: 4000,
      amount_subtotal: 4000,
      currency: 'usd',
      customer: customer.id,
      payment_intent: null,
      metadata: { orderId: 'o1' },
      livemode: false,
    });
    expect(session.url).toBe(`${h.sim.url}/c/pay/${session.id}`);
    expect(session.expires_at - session.created).toBe(24 * 3600);

    const expanded = await h.stripe.checkout.sessions.retrieve(session.id, { expand: ['line_items'] });
    expect(expanded.line_items?.data).toEqual([expect.objectContaining({ object: 'item', quantity: 2, amount_total: 4000, description: 'T-shirt' })]);
    const items = await h.stripe.checkout.sessions.listLineItems(session.id);
    expect(items.data).toHaveLength(1);

    const page = await fetch(session.url!);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('$40.00');
    expect(html).toContain('cs@example.com');
    expect(html).toContain('name="card_number"');
  });

  it('pays with 4242…: completes the session, redirects to success_url and sends a signed checkout.session.completed', async () => {
    const session = await paymentSession({ payment_intent_data: { metadata: { orderId: 'o2' } } });
    const res = await pay(session, '4242 4242 4242 4242');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`http://127.0.0.1:1/success?session_id=${session.id}`);

    const done = await h.stripe.checkout.sessions.retrieve(session.id);
    expect(done).toMatchObject({ status: 'complete', payment_status: 'paid', customer_details: expect.objectContaining({ email: 'buyer@example.com', name: 'Bea Buyer' }) as unknown });
    expect(done.customer).toBeNull();
    const pi = await h.stripe.paymentIntents.retrieve(done.payment_intent as string);
    expect(pi).toMatchObject({ status: 'succeeded', amount: 4000, currency: 'usd', metadata: { orderId: 'o2' } });

    await h.sim.webhooks.idle();
    const got = receiver.received.find((r) => r.type === 'checkout.session.completed' && r.body.includes(session.id))!;
    const event = h.stripe.webhooks.constructEvent(got.body, got.signature, secret);
    expect((event.data.object as Stripe.Checkout.Session).id).toBe(session.id);
    expect((event.data.object as Stripe.Checkout.Session).payment_status).toBe('paid');

    const again = await pay(session, '4242424242424242');
    expect(again.status).toBe(409);
  });

  it('shows a decline on the page, keeps the session open, and a second card can pay', async () => {
    const session = await paymentSession();
    const declined = await pay(session, '4000000000000002');
    expect(declined.status).toBe(402);
    const html = await declined.text();
    expect(html).toContain('Your card was declined.');
    expect(html).toContain('buyer@example.com');
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');

    const invalid = await pay(session, '4242424242424241');
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toContain('Your card number is invalid.');

    const ok = await pay(session, '4242424242424242');
    expect(ok.status).toBe(303);
    const done = await h.stripe.checkout.sessions.retrieve(session.id);
    expect(done.status).toBe('complete');
    const failedEvents = await h.stripe.events.list({ type: 'payment_intent.payment_failed' });
    expect(failedEvents.data.some((e) => (e.data.object as Stripe.PaymentIntent).id === done.payment_intent)).toBe(true);
  });

  it('sends a 3-D Secure card through the challenge page and back', async () => {
    const session = await paymentSession();
    const res = await pay(session, '4000 0025 0000 3155');
    expect(res.status).toBe(303);
    const challenge = res.headers.get('location')!;
    expect(challenge).toContain('/_simulator/3ds/pi_');
    expect((await fetch(challenge)).status).toBe(200);
    const authenticated = await submit(challenge, { outcome: 'succeed' });
    expect(authenticated.status).toBe(303);
    const back = await fetch(authenticated.headers.get('location')!, { redirect: 'manual' });
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe(`http://127.0.0.1:1/success?session_id=${session.id}`);
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).status).toBe('complete');
  });

  it('returns to the page with an error when authentication fails', async () => {
    const session = await paymentSession();
    const challenge = (await pay(session, '4000002500003155')).headers.get('location')!;
    const failed = await submit(challenge, { outcome: 'fail' });
    const back = await fetch(failed.headers.get('location')!, { redirect: 'manual' });
    expect(back.status).toBe(402);
    expect(await back.text()).toContain('unable to authenticate');
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');
  });

  it('cancels back to cancel_url, leaving the session open', async () => {
    const session = await paymentSession();
    const res = await submit(session.url!, { action: 'cancel' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('http://127.0.0.1:1/cancel');
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');
  });

  it('authorizes only with manual capture: payment_status unpaid, intent requires_capture', async () => {
    const session = await paymentSession({ payment_intent_data: { capture_method: 'manual' } });
    expect((await pay(session, '4242424242424242')).status).toBe(303);
    const done = await h.stripe.checkout.sessions.retrieve(session.id);
    expect(done).toMatchObject({ status: 'complete', payment_status: 'unpaid' });
    expect((await h.stripe.paymentIntents.retrieve(done.payment_intent as string)).status).toBe('requires_capture');
  });

  it('expires on request and when simulated time passes expires_at, with checkout.session.expired', async () => {
    const session = await paymentSession();
    const expired = await h.stripe.checkout.sessions.expire(session.id);
    expect(expired).toMatchObject({ status: 'expired', url: null });
    await expect(h.stripe.checkout.sessions.expire(session.id)).rejects.toMatchObject({ type: 'StripeInvalidRequestError', statusCode: 400 });
    const page = await fetch(`${h.sim.url}/c/pay/${session.id}`);
    expect(await page.text()).toContain('expired');
    expect((await pay(session, '4242424242424242')).status).toBe(409);

    const later = await paymentSession({ expires_at: h.sim.now() + 3600 });
    await h.sim.advanceClock(3601);
    expect((await h.stripe.checkout.sessions.retrieve(later.id)).status).toBe('expired');
    const events = await h.stripe.events.list({ type: 'checkout.session.expired' });
    expect(events.data.map((e) => (e.data.object as Stripe.Checkout.Session).id)).toEqual(expect.arrayContaining([session.id, later.id]));
  });

  it('lists sessions with filters', async () => {
    const customer = await h.stripe.customers.create({ email: 'list-cs@example.com' });
    const a = await paymentSession({ customer: customer.id });
    const b = await paymentSession({ customer: customer.id });
    const listed = await h.stripe.checkout.sessions.list({ customer: customer.id });
    expect(listed.data.map((s) => s.id)).toEqual([b.id, a.id]);
    await pay(a, '4242424242424242');
    const complete = await h.stripe.checkout.sessions.list({ customer: customer.id, status: 'complete' });
    expect(complete.data.map((s) => s.id)).toEqual([a.id]);
  });

  it('validates parameters as Stripe does', async () => {
    const oneTime = await oneTimePrice();
    const monthly = await monthlyPrice();
    const base = { success_url: 'http://127.0.0.1:1/s' };
    await expect(h.stripe.checkout.sessions.create({ ...base, mode: 'payment', line_items: [{ price: monthly.id, quantity: 1 }] })).rejects.toMatchObject({ statusCode: 400, param: 'line_items' });
    await expect(h.stripe.checkout.sessions.create({ ...base, mode: 'subscription', line_items: [{ price: oneTime.id, quantity: 1 }] })).rejects.toMatchObject({ statusCode: 400 });
    await expect(h.stripe.checkout.sessions.create({ ...base, mode: 'payment', line_items: [{ price: oneTime.id }] })).rejects.toMatchObject({ code: 'parameter_missing', param: 'line_items[0][quantity]' });
    await expect(h.stripe.checkout.sessions.create({ ...base, mode: 'payment', line_items: [{ price: 'price_missing', quantity: 1 }] })).rejects.toMatchObject({ code: 'resource_missing', statusCode: 404 });
    await expect(h.stripe.checkout.sessions.create({ ...base, line_items: [{ price: oneTime.id, quantity: 1 }] } as Stripe.Checkout.SessionCreateParams)).rejects.toMatchObject({ code: 'parameter_missing', param: 'mode' });
    await expect(h.stripe.checkout.sessions.retrieve('cs_test_missing')).rejects.toMatchObject({ code: 'resource_missing' });
  });

  it('accepts price_data for ad-hoc amounts', async () => {
    const session = await h.stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price_data: { currency: 'eur', unit_amount: 999, product_data: { name: 'Sticker' } }, quantity: 3 }],
      success_url: 'http://127.0.0.1:1/s',
    });
    expect(session).toMatchObject({ amount_total: 2997, currency: 'eur' });
  });
});

describe('subscription checkout, renewals and cancellation', () => {
  it('creates the customer, subscription and a paid first invoice, then renews as the clock advances', async () => {
    const price = await monthlyPrice(1500);
    const session = await h.stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: price.id, quantity: 1 }],
      customer_email: 'sub@example.com',
      subscription_data: { metadata: { userId: 'u-sub' } },
      success_url: 'http://127.0.0.1:1/ok',
    });
    expect(session.payment_intent).toBeNull();
    expect((await pay(session, '4242424242424242', 'sub@example.com')).status).toBe(303);

    const done = await h.stripe.checkout.sessions.retrieve(session.id);
    expect(done).toMatchObject({ status: 'complete', payment_status: 'paid', mode: 'subscription' });
    expect(done.customer).toMatch(/^cus_/);
    const customer = (await h.stripe.customers.retrieve(done.customer as string)) as Stripe.Customer;
    expect(customer.email).toBe('sub@example.com');

    const sub = await h.stripe.subscriptions.retrieve(done.subscription as string);
    expect(sub).toMatchObject({ status: 'active', customer: done.customer, metadata: { userId: 'u-sub' }, cancel_at_period_end: false, latest_invoice: done.invoice });
    const item = sub.items.data[0]!;
    expect(item.price.id).toBe(price.id);
    const firstEnd = item.current_period_end;
    expect(firstEnd).toBeGreaterThan(item.current_period_start + 27 * 86400);

    const invoice = await h.stripe.invoices.retrieve(done.invoice as string);
    expect(invoice).toMatchObject({ status: 'paid', amount_paid: 1500, billing_reason: 'subscription_create', customer: done.customer });
    expect(invoice.parent?.subscription_details).toMatchObject({ subscription: sub.id, metadata: { userId: 'u-sub' } });

    const types = (await h.stripe.events.list({ limit: 100 })).data.map((e) => e.type);
    for (const t of ['customer.created', 'customer.subscription.created', 'invoice.paid', 'invoice.payment_succeeded', 'checkout.session.completed']) expect(types).toContain(t);

    await h.sim.advanceClock(firstEnd - h.sim.now() + 1);
    const renewed = await h.stripe.subscriptions.retrieve(sub.id);
    expect(renewed.status).toBe('active');
    expect(renewed.items.data[0]!.current_period_start).toBe(firstEnd);
    expect(renewed.latest_invoice).not.toBe(done.invoice);
    const invoices = await h.stripe.invoices.list({ subscription: sub.id });
    expect(invoices.data.map((i) => [i.billing_reason, i.status])).toEqual([
      ['subscription_cycle', 'paid'],
      ['subscription_create', 'paid'],
    ]);
    const updated = (await h.stripe.events.list({ type: 'customer.subscription.updated', limit: 100 })).data.find(
      (e) => (e.data.object as Stripe.Subscription).id === sub.id && (e.data.object as Stripe.Subscription).latest_invoice === renewed.latest_invoice,
    );
    expect(updated?.data.previous_attributes).toHaveProperty('latest_invoice', done.invoice);

    // Cancel at period end: still active now, canceled once the period is over.
    const scheduled = await h.stripe.subscriptions.update(sub.id, { cancel_at_period_end: true });
    expect(scheduled).toMatchObject({ status: 'active', cancel_at_period_end: true, cancel_at: renewed.items.data[0]!.current_period_end });
    await h.sim.advanceClock(renewed.items.data[0]!.current_period_end - h.sim.now() + 1);
    const ended = await h.stripe.subscriptions.retrieve(sub.id);
    expect(ended).toMatchObject({ status: 'canceled', ended_at: renewed.items.data[0]!.current_period_end });
    expect((await h.stripe.invoices.list({ subscription: sub.id })).data).toHaveLength(2);
    const deleted = (await h.stripe.events.list({ type: 'customer.subscription.deleted' })).data.find((e) => (e.data.object as Stripe.Subscription).id === sub.id);
    expect(deleted).toBeDefined();
    expect((await h.stripe.subscriptions.list({ customer: done.customer as string })).data).toHaveLength(0);
    expect((await h.stripe.subscriptions.list({ customer: done.customer as string, status: 'all' })).data).toHaveLength(1);
  });

  it('subscribes with a 3-D Secure card after the challenge, and creates nothing when it fails', async () => {
    const price = await monthlyPrice(700);
    const create = () =>
      h.stripe.checkout.sessions.create({ mode: 'subscription', line_items: [{ price: price.id, quantity: 2 }], customer_email: 'sca@example.com', success_url: 'http://127.0.0.1:1/ok' });

    const failing = await create();
    const failChallenge = (await pay(failing, '4000002500003155', 'sca@example.com')).headers.get('location')!;
    const failedBack = await fetch((await submit(failChallenge, { outcome: 'fail' })).headers.get('location')!, { redirect: 'manual' });
    expect(failedBack.status).toBe(402);
    const stillOpen = await h.stripe.checkout.sessions.retrieve(failing.id);
    expect(stillOpen).toMatchObject({ status: 'open', subscription: null });

    const session = await create();
    const challenge = (await pay(session, '4000002500003155', 'sca@example.com')).headers.get('location')!;
    const back = await fetch((await submit(challenge, { outcome: 'succeed' })).headers.get('location')!, { redirect: 'manual' });
    expect(back.status).toBe(303);
    const done = await h.stripe.checkout.sessions.retrieve(session.id);
    expect(done).toMatchObject({ status: 'complete', payment_status: 'paid' });
    const sub = await h.stripe.subscriptions.retrieve(done.subscription as string);
    expect(sub).toMatchObject({ status: 'active', customer: done.customer });
    expect(sub.items.data[0]!.quantity).toBe(2);
    expect((await h.stripe.invoices.retrieve(done.invoice as string)).amount_paid).toBe(1400);
    expect(stillOpen.customer).toMatch(/^cus_/);
    expect((await h.stripe.subscriptions.list({ customer: stillOpen.customer as string })).data).toHaveLength(0);
  });

  it('cancels immediately, and a failed renewal leaves the subscription past_due', async () => {
    const price = await monthlyPrice(900);
    const customer = await h.stripe.customers.create({ email: 'api-sub@example.com' });
    const sub = await h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], default_payment_method: 'pm_card_visa' });
    expect(sub.status).toBe('active');
    const canceled = await h.stripe.subscriptions.cancel(sub.id);
    expect(canceled).toMatchObject({ status: 'canceled', cancellation_details: expect.objectContaining({ reason: 'cancellation_requested' }) as unknown });
    await expect(h.stripe.subscriptions.update(sub.id, { cancel_at_period_end: true })).rejects.toMatchObject({ statusCode: 400 });

    // A card that needs authentication cannot be charged off session: the renewal fails.
    const risky = await h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], default_payment_method: 'pm_card_visa' });
    await h.stripe.subscriptions.update(risky.id, { default_payment_method: 'pm_card_authenticationRequired' });
    await h.sim.advanceClock(risky.items.data[0]!.current_period_end - h.sim.now() + 1);
    const pastDue = await h.stripe.subscriptions.retrieve(risky.id);
    expect(pastDue.status).toBe('past_due');
    const latest = await h.stripe.invoices.retrieve(pastDue.latest_invoice as string);
    expect(latest).toMatchObject({ status: 'open', attempted: true, amount_paid: 0 });
    const failed = (await h.stripe.events.list({ type: 'invoice.payment_failed' })).data.map((e) => (e.data.object as Stripe.Invoice).id);
    expect(failed).toContain(latest.id);

    await expect(h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] })).rejects.toMatchObject({ statusCode: 400 });
  });
});
