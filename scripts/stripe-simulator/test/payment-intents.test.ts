import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Stripe from 'stripe';
import { repoRoot } from '../../lib/resources';
import { raw, startHarness, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.sim.stop();
});

const noRedirects = { automatic_payment_methods: { enabled: true, allow_redirects: 'never' as const } };

async function eventTypesFor(id: string): Promise<string[]> {
  const events = await h.stripe.events.list({ limit: 100 });
  return events.data
    .filter((e) => {
      const o = e.data.object as { id: string; payment_intent?: string };
      return o.id === id || o.payment_intent === id;
    })
    .map((e) => e.type)
    .reverse();
}

/** Payment intent event types named anywhere in Stripe's OpenAPI spec (the enabled_events enum lists them all). */
function paymentIntentEventTypes(): string[] {
  const text = readFileSync(join(repoRoot, '.tools', 'stripe-openapi', 'spec3.json'), 'utf8');
  return [...new Set(text.match(/"payment_intent\.[a-z_]+"/g) ?? [])].map((s) => s.slice(1, -1));
}

describe('payment intents', () => {
  it('sends no event when an intent is updated, as Stripe has no such event type', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
    await h.stripe.paymentIntents.update(pi.id, { amount: 1500 });
    await h.stripe.paymentIntents.update(pi.id, { metadata: { order: 'o1' } });
    const types = h.sim
      .events()
      .filter((e) => (e.data.object as { id?: string }).id === pi.id)
      .map((e) => e.type);
    expect(types).toEqual(['payment_intent.created']);
    const stripeTypes = paymentIntentEventTypes();
    expect(stripeTypes).toContain('payment_intent.succeeded');
    expect(stripeTypes).not.toContain('payment_intent.updated');
    expect(stripeTypes).not.toContain('payment_intent.amount_updated');
  });

  it('creates, confirms and succeeds with pm_card_visa, creating a charge', async () => {
    const customer = await h.stripe.customers.create({ email: 'payer@example.com' });
    const created = await h.stripe.paymentIntents.create({ amount: 2000, currency: 'usd', customer: customer.id, metadata: { orderId: 'o1' }, ...noRedirects });
    expect(created).toMatchObject({ object: 'payment_intent', status: 'requires_payment_method', amount: 2000, currency: 'usd', customer: customer.id, latest_charge: null });
    expect(created.id).toMatch(/^pi_/);
    expect(created.client_secret).toMatch(new RegExp(`^${created.id}_secret_`));

    const confirmed = await h.stripe.paymentIntents.confirm(created.id, { payment_method: 'pm_card_visa' });
    expect(confirmed).toMatchObject({ status: 'succeeded', amount_received: 2000, amount_capturable: 0, next_action: null, last_payment_error: null });
    expect(confirmed.payment_method).toMatch(/^pm_/);
    expect(confirmed.latest_charge).toMatch(/^ch_/);

    const charge = await h.stripe.charges.retrieve(confirmed.latest_charge as string);
    expect(charge).toMatchObject({ amount: 2000, amount_captured: 2000, captured: true, paid: true, status: 'succeeded', payment_intent: created.id, customer: customer.id });
    expect(charge.payment_method_details?.card?.last4).toBe('4242');

    const expanded = await h.stripe.paymentIntents.retrieve(created.id, { expand: ['latest_charge', 'customer'] });
    expect((expanded.latest_charge as Stripe.Charge).id).toBe(charge.id);
    expect((expanded.customer as Stripe.Customer).email).toBe('payer@example.com');

    // automatic_async: the charge's balance transaction comes after it, with charge.updated.
    expect(await eventTypesFor(created.id)).toEqual(['payment_intent.created', 'charge.succeeded', 'payment_intent.succeeded', 'charge.updated']);
    const listed = await h.stripe.paymentIntents.list({ customer: customer.id });
    expect(listed.data.map((p) => p.id)).toEqual([created.id]);
    const found = await h.stripe.paymentIntents.search({ query: `metadata['orderId']:'o1' AND status:'succeeded'` });
    expect(found.data.map((p) => p.id)).toContain(created.id);
    await expect(h.stripe.paymentIntents.confirm(created.id)).rejects.toMatchObject({ code: 'payment_intent_unexpected_state' });
  });

  it('confirms at creation with confirm=true and a mastercard', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 1500, currency: 'eur', payment_method: 'pm_card_mastercard', confirm: true, ...noRedirects });
    expect(pi.status).toBe('succeeded');
    const charge = await h.stripe.charges.retrieve(pi.latest_charge as string);
    expect(charge.payment_method_details?.card?.brand).toBe('mastercard');
  });

  it('requires a return_url or allow_redirects=never with automatic payment methods, creating nothing when refused', async () => {
    const customer = await h.stripe.customers.create({ email: 'redirects@example.com' });
    const refused = () =>
      h.stripe.paymentIntents.create({ amount: 1500, currency: 'usd', customer: customer.id, payment_method: 'pm_card_visa', confirm: true }, { idempotencyKey: `redir-${customer.id}` });
    await expect(refused()).rejects.toMatchObject({ type: 'StripeInvalidRequestError' });
    await expect(refused()).rejects.toMatchObject({ type: 'StripeInvalidRequestError' });
    expect((await h.stripe.paymentIntents.list({ customer: customer.id })).data).toEqual([]);
    await expect(h.stripe.paymentIntents.create({ amount: 1500, currency: 'usd', customer: customer.id, confirm: true })).rejects.toMatchObject({ param: 'payment_method' });
    expect((await h.stripe.paymentIntents.list({ customer: customer.id })).data).toEqual([]);
    await expect(
      h.stripe.paymentIntents.create({ amount: 1500, currency: 'usd', return_url: 'https://shop.example/return' }),
    ).rejects.toMatchObject({ param: 'return_url' });
    const ok = await h.stripe.paymentIntents.create({ amount: 1500, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, allowed_payment_method_types: ['card'] });
    expect(ok.allowed_payment_method_types).toEqual(['card']);
    expect(ok.status).toBe('succeeded');
  });

  it('declines with 402 card_error, a failed charge and requires_payment_method', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 2000, currency: 'usd', ...noRedirects });
    const err = await h.stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_chargeDeclinedInsufficientFunds' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
    const cardErr = err as Stripe.errors.StripeCardError;
    expect(cardErr).toMatchObject({ statusCode: 402, code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' });
    expect(cardErr.payment_intent?.id).toBe(pi.id);
    expect(cardErr.payment_intent?.status).toBe('requires_payment_method');

    const after = await h.stripe.paymentIntents.retrieve(pi.id);
    expect(after.status).toBe('requires_payment_method');
    expect(after.last_payment_error).toMatchObject({ type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds' });
    const failed = await h.stripe.charges.retrieve(after.latest_charge as string);
    expect(failed).toMatchObject({ status: 'failed', paid: false, failure_code: 'card_declined' });
    expect(await eventTypesFor(pi.id)).toEqual(['payment_intent.created', 'charge.failed', 'payment_intent.payment_failed']);

    const retried = await h.stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa' });
    expect(retried.status).toBe('succeeded');
    expect(retried.last_payment_error).toBeNull();
  });

  it('declines a generic decline with decline_code generic_decline and replays it idempotently', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 900, currency: 'usd', ...noRedirects });
    const body = 'payment_method=pm_card_chargeDeclined';
    const first = await raw(h.sim, 'POST', `/v1/payment_intents/${pi.id}/confirm`, body, { 'Idempotency-Key': `decl-${pi.id}` });
    const second = await raw(h.sim, 'POST', `/v1/payment_intents/${pi.id}/confirm`, body, { 'Idempotency-Key': `decl-${pi.id}` });
    expect(first.status).toBe(402);
    expect(first.json['error']).toMatchObject({ type: 'card_error', code: 'card_declined', decline_code: 'generic_decline' });
    expect(second.status).toBe(402);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.json).toEqual(first.json);
    const charges = await h.stripe.charges.list({ payment_intent: pi.id });
    expect(charges.data).toHaveLength(1);
  });

  it('asks for 3-D Secure and completes or fails the challenge through the simulator control', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 3000, currency: 'usd', payment_method: 'pm_card_authenticationRequired', confirm: true, ...noRedirects });
    expect(pi.status).toBe('requires_action');
    expect(pi.next_action?.type).toBe('use_stripe_sdk');
    const done = await raw(h.sim, 'POST', `/_simulator/payment_intents/${pi.id}/authenticate`, 'outcome=succeed', { Authorization: '' });
    expect(done.json).toMatchObject({ status: 'succeeded', amount_received: 3000 });
    const succeeded = (await h.stripe.events.list({ type: 'payment_intent.succeeded', limit: 100 })).data.find(
      (e) => (e.data.object as { id: string }).id === pi.id,
    );
    expect(succeeded?.request).toEqual({ id: null, idempotency_key: null });
    const created = (await h.stripe.events.list({ type: 'payment_intent.created', limit: 100 })).data.find((e) => (e.data.object as { id: string }).id === pi.id);
    expect(created?.request?.id).toMatch(/^req_/);

    const other = await h.stripe.paymentIntents.create({ amount: 3000, currency: 'usd', payment_method: 'pm_card_authenticationRequired', confirm: true, return_url: 'https://shop.example/return' });
    expect(other.next_action).toMatchObject({ type: 'redirect_to_url', redirect_to_url: { return_url: 'https://shop.example/return' } });
    const challengeUrl = other.next_action!.redirect_to_url!.url!;
    const page = await fetch(challengeUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Fail authentication');
    const submit = await fetch(challengeUrl, { method: 'POST', body: 'outcome=fail', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, redirect: 'manual' });
    expect(submit.status).toBe(303);
    const location = new URL(submit.headers.get('location')!);
    expect(location.origin + location.pathname).toBe('https://shop.example/return');
    expect(location.searchParams.get('redirect_status')).toBe('failed');
    const failed = await h.stripe.paymentIntents.retrieve(other.id);
    expect(failed.status).toBe('requires_payment_method');
    expect(failed.last_payment_error?.code).toBe('payment_intent_authentication_failure');
    expect(await eventTypesFor(other.id)).toEqual(['payment_intent.created', 'payment_intent.requires_action', 'payment_intent.payment_failed']);
  });

  it('declines an off-session payment that needs authentication', async () => {
    const err = await h.stripe.paymentIntents
      .create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_authenticationRequired', confirm: true, off_session: true })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'StripeCardError', code: 'authentication_required', decline_code: 'authentication_required' });
  });

  it('authorizes with capture_method=manual, then captures part of it', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, capture_method: 'manual', ...noRedirects });
    expect(pi).toMatchObject({ status: 'requires_capture', amount_capturable: 1000, amount_received: 0 });
    const charge = await h.stripe.charges.retrieve(pi.latest_charge as string);
    expect(charge).toMatchObject({ captured: false, amount_captured: 0, status: 'succeeded' });
    await expect(h.stripe.paymentIntents.capture(pi.id, { amount_to_capture: 1001 })).rejects.toMatchObject({ param: 'amount_to_capture' });
    const captured = await h.stripe.paymentIntents.capture(pi.id, { amount_to_capture: 600 });
    expect(captured).toMatchObject({ status: 'succeeded', amount_received: 600, amount_capturable: 0 });
    const after = await h.stripe.charges.retrieve(pi.latest_charge as string);
    expect(after).toMatchObject({ captured: true, amount_captured: 600 });
    await expect(h.stripe.paymentIntents.capture(pi.id)).rejects.toMatchObject({ code: 'payment_intent_unexpected_state' });
    expect(await eventTypesFor(pi.id)).toEqual([
      'payment_intent.created', 'charge.succeeded', 'payment_intent.amount_capturable_updated', 'charge.captured', 'payment_intent.succeeded',
    ]);
  });

  it('cancels with a reason, releasing an authorization, and refuses to cancel a succeeded intent', async () => {
    const open = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', ...noRedirects });
    const canceled = await h.stripe.paymentIntents.cancel(open.id, { cancellation_reason: 'requested_by_customer' });
    expect(canceled).toMatchObject({ status: 'canceled', cancellation_reason: 'requested_by_customer' });
    expect(canceled.canceled_at).toEqual(expect.any(Number));

    const held = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, capture_method: 'manual', ...noRedirects });
    await h.stripe.paymentIntents.cancel(held.id);
    const released = await h.stripe.charges.retrieve(held.latest_charge as string);
    expect(released).toMatchObject({ refunded: true, amount_refunded: 1000 });

    const paid = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, ...noRedirects });
    await expect(h.stripe.paymentIntents.cancel(paid.id)).rejects.toMatchObject({ code: 'payment_intent_unexpected_state' });
  });

  it('applies amount rules and validates references', async () => {
    await expect(h.stripe.paymentIntents.create({ amount: 49, currency: 'usd' })).rejects.toMatchObject({ code: 'amount_too_small', param: 'amount' });
    await expect(h.stripe.paymentIntents.create({ amount: 100_000_000, currency: 'usd' })).rejects.toMatchObject({ code: 'amount_too_large' });
    const yen = await h.stripe.paymentIntents.create({ amount: 50, currency: 'jpy' });
    expect(yen.amount).toBe(50);
    await expect(h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', customer: 'cus_missing' })).rejects.toMatchObject({
      code: 'resource_missing',
      param: 'customer',
    });
    await expect(h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_nope' })).rejects.toMatchObject({ code: 'resource_missing' });
    const res = await raw(h.sim, 'POST', '/v1/payment_intents', 'amount=10.5&currency=usd');
    expect(res.status).toBe(400);
    expect(res.json['error']).toMatchObject({ param: 'amount' });
  });

  it('updates an open intent and refuses amount changes once it succeeded', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', ...noRedirects });
    const updated = await h.stripe.paymentIntents.update(pi.id, { amount: 1200, metadata: { a: 'b' }, payment_method: 'pm_card_visa' });
    expect(updated).toMatchObject({ amount: 1200, metadata: { a: 'b' }, status: 'requires_confirmation' });
    const paid = await h.stripe.paymentIntents.confirm(pi.id);
    expect(paid.status).toBe('succeeded');
    await expect(h.stripe.paymentIntents.update(pi.id, { amount: 1300 })).rejects.toMatchObject({ code: 'payment_intent_unexpected_state' });
    const meta = await h.stripe.paymentIntents.update(pi.id, { metadata: { c: 'd' } });
    expect(meta.metadata).toEqual({ a: 'b', c: 'd' });
  });
});

describe('payment methods', () => {
  it('creates from a test token, attaches to a customer, lists and detaches', async () => {
    const customer = await h.stripe.customers.create({ email: 'pm@example.com' });
    const pm = await h.stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_mastercard' } });
    expect(pm).toMatchObject({ object: 'payment_method', type: 'card', customer: null, card: { brand: 'mastercard', last4: '4444' } });
    const attached = await h.stripe.paymentMethods.attach(pm.id, { customer: customer.id });
    expect(attached.customer).toBe(customer.id);
    const listed = await h.stripe.customers.listPaymentMethods(customer.id);
    expect(listed.data.map((p) => p.id)).toEqual([pm.id]);
    const paid = await h.stripe.paymentIntents.create({
      amount: 700, currency: 'usd', customer: customer.id, payment_method: pm.id, confirm: true, off_session: true,
    });
    expect(paid.status).toBe('succeeded');
    const detached = await h.stripe.paymentMethods.detach(pm.id);
    expect(detached.customer).toBeNull();
    await expect(h.stripe.paymentMethods.detach(pm.id)).rejects.toMatchObject({ code: 'payment_method_unexpected_state' });
    await expect(h.stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_nope' } })).rejects.toMatchObject({ code: 'resource_missing' });
  });

  it('resolves each use of a test id to a new stored payment method', async () => {
    const a = await h.stripe.paymentMethods.retrieve('pm_card_visa');
    const b = await h.stripe.paymentMethods.retrieve('pm_card_visa');
    expect(a.id).toMatch(/^pm_/);
    expect(a.id).not.toBe(b.id);
    expect((await h.stripe.paymentMethods.retrieve(a.id)).card?.last4).toBe('4242');
  });
});
