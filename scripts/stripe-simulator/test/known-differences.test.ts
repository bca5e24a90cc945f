// Each test pins one entry of "Known differences from Stripe" in docs/stripe-simulator.md: when
// the simulator changes (closer to Stripe or further away) a test here fails and the guide needs
// updating with it.
import Stripe from 'stripe';
import { paidIntent, raw, startHarness, type Harness } from './helpers';
import { startReceiver } from './webhook-receiver';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.sim.stop();
});

const NO_REDIRECTS = { enabled: true, allow_redirects: 'never' } as const;

const paid = (amount: number, captureMethod: 'automatic' | 'manual' = 'automatic') => paidIntent(h.stripe, amount, captureMethod);

/** Submits the hosted page's form as a browser would (no redirect following). */
async function payOnPage(url: string, card: string, email: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    body: new URLSearchParams({ email, card_number: card, billing_name: 'Bea Buyer', action: 'pay', card_expiry: '12 / 40', card_cvc: '123' }),
    redirect: 'manual',
  });
}

describe('known differences from Stripe', () => {
  it('serves only the simulated resources: others are 404, non-card payment methods are refused', async () => {
    for (const path of ['/v1/accounts', '/v1/payouts', '/v1/coupons', '/v1/setup_intents', '/v1/tax_rates', '/v1/balance']) {
      const res = await raw(h.sim, 'GET', path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect((res.json['error'] as { message: string }).message).toContain('Unrecognized request URL');
    }
    await expect(h.stripe.paymentMethods.create({ type: 'us_bank_account' })).rejects.toMatchObject({ type: 'StripeInvalidRequestError', param: 'type' });
    await expect(h.stripe.customers.create({ tax_id_data: [{ type: 'eu_vat', value: 'DE123456789' }] })).rejects.toMatchObject({
      code: 'parameter_unknown',
      param: 'tax_id_data',
    });
  });

  it('lags search only for new objects: an update to an existing one is searchable at once', async () => {
    const lagging = await startHarness({ searchLagSeconds: 60 });
    try {
      const c = await lagging.stripe.customers.create({ email: 'before@example.com' });
      await lagging.sim.advanceClock(60);
      await lagging.stripe.customers.update(c.id, { email: 'after@example.com' });
      expect((await lagging.stripe.customers.search({ query: "email:'after@example.com'" })).data.map((x) => x.id)).toEqual([c.id]);
      const fresh = await lagging.stripe.customers.create({ email: 'after@example.com' });
      expect((await lagging.stripe.customers.search({ query: "email:'after@example.com'" })).data.map((x) => x.id)).not.toContain(fresh.id);
    } finally {
      await lagging.sim.stop();
    }
  });

  it('fills nested details nothing uses with plausible values, not Stripe’s', async () => {
    const pi = await paid(1200);
    const charge = await h.stripe.charges.retrieve(pi.latest_charge as string);
    expect(charge.outcome).toMatchObject({ risk_level: 'normal', risk_score: 32, network_status: 'approved_by_network' });
    expect(charge.receipt_url).toMatch(new RegExp(`^${h.sim.url}/_simulator/receipts/`));
    expect(charge.payment_method_details?.card?.network_token).toEqual({ used: false });
  });

  it('gives balance transactions as ids only, with no balance behind them', async () => {
    const pi = await paid(1300);
    const charge = await h.stripe.charges.retrieve(pi.latest_charge as string);
    expect(charge.balance_transaction).toMatch(/^txn_/);
    const txn = await raw(h.sim, 'GET', `/v1/balance_transactions/${charge.balance_transaction as string}`);
    expect(txn.status).toBe(404);
    // Expanding one is accepted and leaves the id, as there is nothing to expand it into.
    expect((await h.stripe.charges.retrieve(charge.id, { expand: ['balance_transaction'] })).balance_transaction).toBe(charge.balance_transaction);
    expect((await raw(h.sim, 'GET', '/v1/balance')).status).toBe(404);
  });

  it('shows a partial capture’s released remainder as refunded without a refund object; refunds succeed at once and never cancel', async () => {
    const held = await paid(1000, 'manual');
    await h.stripe.paymentIntents.capture(held.id, { amount_to_capture: 600 });
    const charge = await h.stripe.charges.retrieve(held.latest_charge as string);
    expect(charge).toMatchObject({ amount_captured: 600, amount_refunded: 400, refunded: false });
    expect((await h.stripe.refunds.list({ charge: charge.id })).data).toEqual([]);

    const refund = await h.stripe.refunds.create({ payment_intent: (await paid(900)).id });
    expect(refund.status).toBe('succeeded');
    await expect(h.stripe.refunds.cancel(refund.id)).rejects.toMatchObject({ type: 'StripeInvalidRequestError', statusCode: 400 });
  });

  it('counts rate limits per simulator, across endpoints and API keys', async () => {
    // The limiter's one-second window follows the base clock, held still here so the whole burst
    // falls in one window however long the requests take.
    let nowMs = Date.UTC(2030, 0, 1);
    const limited = await startHarness({ now: () => nowMs });
    try {
      const other = new Stripe('sk_test_another_account_42', { host: '127.0.0.1', port: limited.sim.port, protocol: 'http', maxNetworkRetries: 0 });
      limited.sim.setRateLimit({ readPerSecond: 3, writePerSecond: 3 });
      const status = (p: Promise<unknown>): Promise<number> => p.then(() => 200, (e: { statusCode?: number }) => e.statusCode ?? -1);
      const statuses = await Promise.all([
        status(limited.stripe.customers.list({ limit: 1 })),
        status(limited.stripe.customers.list({ limit: 1 })),
        status(limited.stripe.products.list({ limit: 1 })),
        status(limited.stripe.products.list({ limit: 1 })),
        status(other.customers.list({ limit: 1 })),
        status(other.customers.list({ limit: 1 })),
        status(other.prices.list({ limit: 1 })),
        status(other.prices.list({ limit: 1 })),
      ]);
      expect(statuses.filter((s) => s === 200)).toHaveLength(3);
      expect(statuses.filter((s) => s === 429)).toHaveLength(5);
      expect(await status(other.customers.list({ limit: 1 }))).toBe(429);
      // The next second is a new window, for every key.
      nowMs += 1000;
      expect(await status(other.customers.list({ limit: 1 }))).toBe(200);
    } finally {
      await limited.sim.stop();
    }
  });

  it('records events synchronously, once each, in the order the state changed', async () => {
    const before = h.sim.events().length;
    const pi = await paid(1100);
    const all = h.sim.events();
    const after = all.slice(0, all.length - before).reverse();
    expect(after.map((e) => e.type)).toEqual(['payment_intent.created', 'charge.succeeded', 'payment_intent.succeeded']);
    expect((after[2]!.data.object as { id: string }).id).toBe(pi.id);
    expect(after.map((e) => e.created)).toEqual([...after.map((e) => e.created)].sort((a, b) => a - b));
    // The API lists newest first: the same events, reversed, with nothing duplicated.
    const listed = (await h.stripe.events.list({ limit: 3 })).data.map((e) => e.id);
    expect(listed).toEqual(after.map((e) => e.id).reverse());
  });

  it('speaks one API version whatever Stripe-Version asks for', async () => {
    const c = await h.stripe.customers.create({ email: 'versions@example.com' });
    const current = await raw(h.sim, 'GET', `/v1/customers/${c.id}`);
    const old = await raw(h.sim, 'GET', `/v1/customers/${c.id}`, undefined, { 'Stripe-Version': '2020-08-27' });
    expect(old.headers.get('stripe-version')).toBe('2020-08-27');
    expect(Object.keys(old.json).sort()).toEqual(Object.keys(current.json).sort());
    expect(old.json).toEqual(current.json);
  });

  it('checks enabled_events for shape only, allows more than 16 endpoints, refuses connect, and retries within seconds', async () => {
    const sim = await startHarness();
    try {
      const made = await sim.stripe.webhookEndpoints.create({
        url: 'http://127.0.0.1:1/hook',
        enabled_events: ['made_up.event_type' as Stripe.WebhookEndpointCreateParams.EnabledEvent],
      });
      expect(made.enabled_events).toEqual(['made_up.event_type']);
      for (let i = 0; i < 17; i++) await sim.stripe.webhookEndpoints.create({ url: `http://127.0.0.1:1/hook${i}`, enabled_events: ['*'] });
      expect((await sim.stripe.webhookEndpoints.list({ limit: 100 })).data).toHaveLength(18);
      await expect(sim.stripe.webhookEndpoints.create({ url: 'http://127.0.0.1:1/c', enabled_events: ['*'], connect: true })).rejects.toMatchObject({
        type: 'StripeInvalidRequestError',
        param: 'connect',
      });
      const config = await raw(sim.sim, 'GET', '/_simulator/webhooks/config', undefined, { Authorization: '' });
      expect(config.json).toMatchObject({ retryBaseMs: 2000, maxAttempts: 6 });
    } finally {
      await sim.sim.stop();
    }
  });

  it('delivers as soon as the event is recorded, to each endpoint independently', async () => {
    const slow = await startReceiver();
    const fast = await startReceiver();
    const sim = await startHarness({ webhookDelivery: { retryBaseMs: 20 } });
    try {
      slow.respondWith('hang');
      sim.sim.addWebhookEndpoint({ url: slow.url, enabledEvents: ['customer.created'] });
      sim.sim.addWebhookEndpoint({ url: fast.url, enabledEvents: ['customer.created'] });
      const started = Date.now();
      await sim.stripe.customers.create({ email: 'parallel@example.com' });
      const [got] = await fast.waitFor(1, 2000);
      expect(got?.type).toBe('customer.created');
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await sim.sim.stop();
      await slow.close();
      await fast.close();
    }
  });

  it('subscription checkout: no incomplete subscription on decline, no trials, no dunning, invoice payments listed, setup and embedded refused, expiry leaves a failed intent', async () => {
    const price = await h.stripe.prices.create({ currency: 'usd', unit_amount: 800, recurring: { interval: 'month' }, product_data: { name: 'Plan' } });
    const subscriptionCheckout: Stripe.Checkout.SessionCreateParams = {
      mode: 'subscription',
      line_items: [{ price: price.id, quantity: 1 }],
      customer_email: 'kd-sub@example.com',
      success_url: 'http://127.0.0.1:1/ok',
    };
    await expect(h.stripe.checkout.sessions.create({ ...subscriptionCheckout, subscription_data: { trial_period_days: 7 } })).rejects.toMatchObject({
      code: 'parameter_unknown',
      param: 'subscription_data[trial_period_days]',
    });
    const session = await h.stripe.checkout.sessions.create(subscriptionCheckout);
    expect((await payOnPage(session.url!, '4000000000000002', 'kd-sub@example.com')).status).toBe(402);
    const declined = await h.stripe.checkout.sessions.retrieve(session.id);
    expect(declined).toMatchObject({ status: 'open', subscription: null });
    expect((await h.stripe.subscriptions.list({ customer: declined.customer as string, status: 'all' })).data).toEqual([]);

    expect((await payOnPage(session.url!, '4242424242424242', 'kd-sub@example.com')).status).toBe(303);
    const done = await h.stripe.checkout.sessions.retrieve(session.id);
    const sub = await h.stripe.subscriptions.retrieve(done.subscription as string);
    expect(sub).toMatchObject({ status: 'active', trial_start: null, trial_end: null });
    const invoice = (await h.stripe.invoices.retrieve(done.invoice as string)) as Stripe.Invoice & { payments?: { data: { payment: { payment_intent: string } }[] } };
    const paidBy = invoice.payments?.data[0]?.payment.payment_intent;
    expect(paidBy).toMatch(/^pi_/);
    expect((await h.stripe.paymentIntents.retrieve(paidBy!)).status).toBe('succeeded');

    await expect(h.stripe.subscriptions.create({ customer: sub.customer as string, items: [{ price: price.id }], trial_period_days: 7 })).rejects.toMatchObject({
      code: 'parameter_unknown',
      param: 'trial_period_days',
    });
    await expect(h.stripe.subscriptions.update(sub.id, { items: [{ id: sub.items.data[0]!.id, quantity: 2 }] })).rejects.toMatchObject({
      code: 'parameter_unknown',
      param: 'items',
    });

    // A failed renewal leaves past_due; the failed invoice is never retried and the subscription never canceled.
    const customer = await h.stripe.customers.create({ email: 'kd-dunning@example.com' });
    const risky = await h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], default_payment_method: 'pm_card_visa' });
    await h.stripe.subscriptions.update(risky.id, { default_payment_method: 'pm_card_authenticationRequired' });
    await h.sim.advanceClock(risky.items.data[0]!.current_period_end - h.sim.now() + 1);
    const pastDue = await h.stripe.subscriptions.retrieve(risky.id);
    expect(pastDue.status).toBe('past_due');
    const failedInvoice = pastDue.latest_invoice as string;
    await h.sim.advanceClock(10 * 24 * 60 * 60);
    expect((await h.stripe.invoices.retrieve(failedInvoice)).attempt_count).toBe(1);
    expect((await h.stripe.subscriptions.retrieve(risky.id)).status).toBe('past_due');

    const oneTime = await h.stripe.prices.create({ currency: 'usd', unit_amount: 500, product_data: { name: 'Thing' } });
    const base = { line_items: [{ price: oneTime.id, quantity: 1 }], success_url: 'http://127.0.0.1:1/ok' };
    await expect(h.stripe.checkout.sessions.create({ ...base, mode: 'setup', line_items: undefined, currency: 'usd' })).rejects.toMatchObject({ param: 'mode', statusCode: 400 });
    await expect(h.stripe.checkout.sessions.create({ ...base, mode: 'payment', ui_mode: 'embedded' })).rejects.toMatchObject({ statusCode: 400, param: 'ui_mode' });

    const pay = await h.stripe.checkout.sessions.create({ ...base, mode: 'payment' });
    expect((await payOnPage(pay.url!, '4000000000000002', 'kd-expire@example.com')).status).toBe(402);
    const failedEvent = h.sim.events().find((e) => e.type === 'payment_intent.payment_failed');
    const failedIntent = (failedEvent?.data.object as { id: string }).id;
    await h.stripe.checkout.sessions.expire(pay.id);
    expect((await h.stripe.paymentIntents.retrieve(failedIntent)).status).toBe('requires_payment_method');
  });

  it('opens disputes from the dispute test cards or the control route, moves no funds, takes no files, and refunds disputed charges', async () => {
    const byCard = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_createDispute', confirm: true, automatic_payment_methods: NO_REDIRECTS });
    expect((await h.stripe.disputes.list({ payment_intent: byCard.id })).data.map((d) => d.status)).toEqual(['needs_response']);
    const viaPage = await h.stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price_data: { currency: 'usd', unit_amount: 1000, product_data: { name: 'Disputed' } }, quantity: 1 }],
      success_url: 'http://127.0.0.1:1/ok',
    });
    expect((await payOnPage(viaPage.url!, '4000000000000259', 'kd-dispute@example.com')).status).toBe(303);
    const pagePi = (await h.stripe.checkout.sessions.retrieve(viaPage.id)).payment_intent as string;
    expect((await h.stripe.disputes.list({ payment_intent: pagePi })).data.map((d) => d.reason)).toEqual(['fraudulent']);

    const pi = await paid(2000);
    const charge = pi.latest_charge as string;
    const opened = await raw(h.sim, 'POST', `/_simulator/charges/${charge}/dispute`, 'reason=fraudulent', { Authorization: '' });
    expect(opened.status).toBe(200);
    const id = opened.json['id'] as string;
    expect((await h.stripe.disputes.retrieve(id)).balance_transactions).toEqual([]);
    expect((await raw(h.sim, 'POST', '/v1/files', 'purpose=dispute_evidence')).status).toBe(404);
    const withFile = await h.stripe.disputes.update(id, { evidence: { receipt: 'file_that_does_not_exist' }, submit: false });
    expect(withFile.evidence.receipt).toBe('file_that_does_not_exist');
    const lost = await h.stripe.disputes.close(id);
    expect(lost).toMatchObject({ status: 'lost', balance_transactions: [] });
    const fundEvents = h.sim.events().filter((e) => e.type === 'charge.dispute.funds_withdrawn' || e.type === 'charge.dispute.funds_reinstated');
    expect(fundEvents).toEqual([]);

    const refund = await h.stripe.refunds.create({ charge });
    expect(refund).toMatchObject({ status: 'succeeded', amount: 2000 });
  });

  it('serves its own hosted page: no Stripe.js, no Link or wallets, no address fields, nothing loaded from elsewhere', async () => {
    const page: Stripe.Checkout.SessionCreateParams = {
      mode: 'payment',
      line_items: [{ price_data: { currency: 'usd', unit_amount: 1000, product_data: { name: 'Page' } }, quantity: 1 }],
      success_url: 'http://127.0.0.1:1/ok',
    };
    // What the page cannot collect is refused rather than silently left out.
    const refused: [string, Partial<Stripe.Checkout.SessionCreateParams>][] = [
      ['billing_address_collection', { billing_address_collection: 'required' }],
      ['phone_number_collection', { phone_number_collection: { enabled: true } }],
      ['allow_promotion_codes', { allow_promotion_codes: true }],
    ];
    for (const [param, extra] of refused) {
      await expect(h.stripe.checkout.sessions.create({ ...page, ...extra })).rejects.toMatchObject({ statusCode: 400, code: 'parameter_unknown', param });
    }
    const session = await h.stripe.checkout.sessions.create({ ...page, billing_address_collection: 'auto' });
    expect(session.billing_address_collection).toBe('auto');
    expect(session.url!.startsWith(`${h.sim.url}/`)).toBe(true);
    const served = await fetch(session.url!);
    expect(served.status).toBe(200);
    const html = await served.text();
    expect(html).toContain('id="payment-form"');
    expect(html).not.toMatch(/stripe\.com/i);
    expect(html).not.toMatch(/\b(src|href)="https?:/i);
    expect(html).not.toMatch(/name="[^"]*(address|postal|country)[^"]*"/i);
    expect(html).not.toMatch(/apple ?pay|google ?pay|\blink\b/i);
  });
});
