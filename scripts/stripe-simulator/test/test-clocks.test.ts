// Test clocks through the official SDK: the same calls a test makes against Stripe test mode.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Stripe from 'stripe';
import { startHarness, type Harness } from './helpers';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ webhookDelivery: { retryBaseMs: 20 } });
});
afterAll(async () => {
  await h.sim.stop();
});

const DAY = 24 * 60 * 60;
/** 2031-01-15T00:00:00Z: far from the simulator's own time, so a mix-up shows. */
const START = Date.UTC(2031, 0, 15) / 1000;

/** Polls until the clock has applied its advance, as Stripe's docs tell callers to do. */
async function waitUntilReady(id: string): Promise<Stripe.TestHelpers.TestClock> {
  for (let i = 0; i < 200; i++) {
    const clock = await h.stripe.testHelpers.testClocks.retrieve(id);
    if (clock.status === 'ready') return clock;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`test clock ${id} never became ready`);
}

async function eventsOfType(type: string): Promise<Stripe.Event[]> {
  return (await h.stripe.events.list({ type, limit: 100 })).data;
}

describe('test clocks', () => {
  it('creates, retrieves, lists and deletes a clock', async () => {
    const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: START, name: 'crud' });
    expect(clock.id).toMatch(/^clock_[A-Za-z0-9]{24}$/);
    expect(clock).toMatchObject({
      object: 'test_helpers.test_clock',
      frozen_time: START,
      name: 'crud',
      status: 'ready',
      status_details: {},
      livemode: false,
    });
    expect(Math.abs(clock.created - h.sim.now())).toBeLessThanOrEqual(1);
    expect(clock.deletes_after).toBe(clock.created + 30 * DAY);

    expect(await h.stripe.testHelpers.testClocks.retrieve(clock.id)).toMatchObject({ id: clock.id, frozen_time: START });
    const listed = await h.stripe.testHelpers.testClocks.list({ limit: 100 });
    expect(listed.data.map((c) => c.id)).toContain(clock.id);
    const created = (await eventsOfType('test_helpers.test_clock.created')).find((e) => (e.data.object as Stripe.TestHelpers.TestClock).id === clock.id);
    expect(created?.created).toBe(START);

    const deleted = await h.stripe.testHelpers.testClocks.del(clock.id);
    expect(deleted).toMatchObject({ id: clock.id, object: 'test_helpers.test_clock', deleted: true });
    await expect(h.stripe.testHelpers.testClocks.retrieve(clock.id)).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'test_clock' });
    expect((await h.stripe.testHelpers.testClocks.list({ limit: 100 })).data.map((c) => c.id)).not.toContain(clock.id);
    expect((await eventsOfType('test_helpers.test_clock.deleted')).map((e) => (e.data.object as Stripe.TestHelpers.TestClock).id)).toContain(clock.id);
  });

  it('refuses a clock without frozen_time, and unknown parameters', async () => {
    await expect(h.stripe.testHelpers.testClocks.create({} as Stripe.TestHelpers.TestClockCreateParams)).rejects.toMatchObject({
      statusCode: 400,
      code: 'parameter_missing',
      param: 'frozen_time',
    });
    await expect(
      h.stripe.testHelpers.testClocks.create({ frozen_time: START, color: 'red' } as Stripe.TestHelpers.TestClockCreateParams),
    ).rejects.toMatchObject({ statusCode: 400, code: 'parameter_unknown', param: 'color' });
  });

  it('advances asynchronously: advancing with a target, then ready at the new time', async () => {
    const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: START });
    const advancing = await h.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: START + 3 * DAY });
    expect(advancing).toMatchObject({ status: 'advancing', frozen_time: START, status_details: { advancing: { target_frozen_time: START + 3 * DAY } } });
    const ready = await waitUntilReady(clock.id);
    expect(ready).toMatchObject({ status: 'ready', frozen_time: START + 3 * DAY, status_details: {} });
    const types = (await h.stripe.events.list({ type: 'test_helpers.test_clock.*', limit: 100 })).data
      .filter((e) => (e.data.object as Stripe.TestHelpers.TestClock).id === clock.id)
      .map((e) => e.type);
    expect(types).toEqual(['test_helpers.test_clock.ready', 'test_helpers.test_clock.advancing', 'test_helpers.test_clock.created']);
  });

  it('refuses to go back in time, or beyond two years without subscriptions', async () => {
    const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: START });
    await expect(h.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: START })).rejects.toMatchObject({ statusCode: 400, param: 'frozen_time' });
    const twoYears = Date.UTC(2033, 0, 15) / 1000;
    await expect(h.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: twoYears + 1 })).rejects.toMatchObject({
      statusCode: 400,
      type: 'StripeInvalidRequestError',
      param: 'frozen_time',
    });
    await h.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: twoYears });
    expect((await waitUntilReady(clock.id)).frozen_time).toBe(twoYears);
  });
});

/** Submits the hosted checkout page's form as a browser would, paying with a test card. */
async function payOnHostedPage(session: Stripe.Checkout.Session, card = '4242424242424242'): Promise<Response> {
  const form = { email: 'clock@example.com', card_number: card, card_expiry: '12 / 40', card_cvc: '123', billing_name: 'Cleo Clock', action: 'pay' };
  return fetch(session.url!, { method: 'POST', body: new URLSearchParams(form), redirect: 'manual' });
}

async function monthlyPrice(amount: number): Promise<Stripe.Price> {
  return h.stripe.prices.create({ currency: 'usd', unit_amount: amount, recurring: { interval: 'month' }, product_data: { name: 'Clocked plan' } });
}

/** One calendar month later, at the same time of day (UTC). */
function monthAfter(seconds: number): number {
  const d = new Date(seconds * 1000);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.getTime() / 1000;
}

describe('customers and subscriptions on a test clock', () => {
  it('subscribes through checkout at the clock time, renews only when the clock advances, and leaves other customers alone', async () => {
    // In the simulator's past: were the simulator-wide clock to drive this subscription, it would
    // be overdue for renewal at once.
    const start = Math.floor(h.sim.now() / DAY) * DAY - 60 * DAY;
    const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: start, name: 'renewal' });
    const customer = await h.stripe.customers.create({ email: 'clock@example.com', test_clock: clock.id });
    expect(customer).toMatchObject({ test_clock: clock.id, created: start });
    expect((await h.stripe.customers.list({ test_clock: clock.id })).data.map((c) => c.id)).toEqual([customer.id]);

    const price = await monthlyPrice(900);
    const bystander = await h.stripe.customers.create({ email: 'bystander@example.com' });
    const otherSub = await h.stripe.subscriptions.create({ customer: bystander.id, items: [{ price: price.id }], default_payment_method: 'pm_card_visa' });
    expect(otherSub.test_clock).toBeNull();

    const session = await h.stripe.checkout.sessions.create({
      mode: 'subscription',
      customer: customer.id,
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: 'http://127.0.0.1:1/ok',
    });
    expect((await payOnHostedPage(session)).status).toBe(303);
    const done = await h.stripe.checkout.sessions.retrieve(session.id);
    const sub = await h.stripe.subscriptions.retrieve(done.subscription as string);
    expect(sub).toMatchObject({ status: 'active', customer: customer.id, test_clock: clock.id, created: start, start_date: start });
    expect(sub.items.data[0]).toMatchObject({ current_period_start: start, current_period_end: monthAfter(start) });
    const first = await h.stripe.invoices.retrieve(done.invoice as string);
    expect(first).toMatchObject({ status: 'paid', test_clock: clock.id, created: start });
    expect((await h.stripe.paymentIntents.list({ customer: customer.id })).data.map((pi) => [pi.status, pi.created])).toEqual([['succeeded', start]]);
    const completed = (await eventsOfType('checkout.session.completed')).find((e) => (e.data.object as Stripe.Checkout.Session).id === session.id);
    expect(completed?.created).toBe(start);
    expect((await h.stripe.subscriptions.list({ test_clock: clock.id })).data.map((s) => s.id)).toEqual([sub.id]);

    // The simulator-wide clock does not move subscriptions on a test clock.
    await h.sim.advanceClock(60);
    expect((await h.stripe.invoices.list({ subscription: sub.id })).data).toHaveLength(1);

    const renewal = monthAfter(start);
    const advancing = await h.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: renewal });
    expect(advancing.status).toBe('advancing');
    expect(await waitUntilReady(clock.id)).toMatchObject({ frozen_time: renewal, status: 'ready' });

    const invoices = (await h.stripe.invoices.list({ subscription: sub.id })).data;
    expect(invoices.map((i) => [i.billing_reason, i.status, i.created])).toEqual([
      ['subscription_cycle', 'paid', renewal],
      ['subscription_create', 'paid', start],
    ]);
    expect(invoices[0]).toMatchObject({ test_clock: clock.id, amount_paid: 900, period_start: start, period_end: renewal });
    const paid = (await eventsOfType('invoice.paid')).find((e) => (e.data.object as Stripe.Invoice).id === invoices[0]!.id);
    expect(paid?.created).toBe(renewal);
    const renewed = await h.stripe.subscriptions.retrieve(sub.id);
    expect(renewed.items.data[0]).toMatchObject({ current_period_start: renewal, current_period_end: monthAfter(renewal) });
    expect(renewed.latest_invoice).toBe(invoices[0]!.id);
    const renewalPayment = (await h.stripe.paymentIntents.list({ customer: customer.id })).data[0]!;
    expect(renewalPayment).toMatchObject({ status: 'succeeded', amount: 900, created: renewal });

    // Advancing the test clock moved nothing for the customer who is not on it.
    expect((await h.stripe.invoices.list({ subscription: otherSub.id })).data).toHaveLength(1);
    expect((await h.stripe.subscriptions.retrieve(otherSub.id)).items.data[0]!.current_period_end).toBe(otherSub.items.data[0]!.current_period_end);
  });

  it('refuses to advance more than two billing intervals of the shortest subscription ahead', async () => {
    const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: START });
    const customer = await h.stripe.customers.create({ test_clock: clock.id });
    await h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: (await monthlyPrice(500)).id }], default_payment_method: 'pm_card_visa' });
    const twoMonths = Date.UTC(2031, 2, 15) / 1000;
    const refused = h.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: twoMonths + 1 });
    await expect(refused).rejects.toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError', param: 'frozen_time' });
    await expect(refused).rejects.toThrow(/two intervals/);
    expect((await h.stripe.testHelpers.testClocks.retrieve(clock.id)).status).toBe('ready');

    await h.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: twoMonths });
    expect((await waitUntilReady(clock.id)).frozen_time).toBe(twoMonths);
    expect((await h.stripe.invoices.list({ customer: customer.id })).data.map((i) => i.created)).toEqual([twoMonths, Date.UTC(2031, 1, 15) / 1000, START]);
  });

  it('cancels at period end when the clock reaches it', async () => {
    const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: START });
    const customer = await h.stripe.customers.create({ test_clock: clock.id });
    const sub = await h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: (await monthlyPrice(700)).id }], default_payment_method: 'pm_card_visa' });
    await h.stripe.subscriptions.update(sub.id, { cancel_at_period_end: true });
    await h.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: monthAfter(START) + DAY });
    await waitUntilReady(clock.id);
    expect(await h.stripe.subscriptions.retrieve(sub.id)).toMatchObject({ status: 'canceled', ended_at: monthAfter(START) });
    expect((await h.stripe.invoices.list({ subscription: sub.id })).data).toHaveLength(1);
  });

  it('deletes its customers and ends their subscriptions when the clock is deleted', async () => {
    const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: START });
    const customer = await h.stripe.customers.create({ email: 'gone@example.com', test_clock: clock.id });
    const sub = await h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: (await monthlyPrice(300)).id }], default_payment_method: 'pm_card_visa' });
    const outsider = await h.stripe.customers.create({ email: 'stays@example.com' });

    await h.stripe.testHelpers.testClocks.del(clock.id);
    expect(await h.stripe.customers.retrieve(customer.id)).toMatchObject({ id: customer.id, deleted: true });
    expect(await h.stripe.subscriptions.retrieve(sub.id)).toMatchObject({ status: 'canceled', ended_at: START });
    expect((await eventsOfType('customer.deleted')).map((e) => (e.data.object as Stripe.Customer).id)).toContain(customer.id);
    expect((await eventsOfType('customer.subscription.deleted')).map((e) => (e.data.object as Stripe.Subscription).id)).toContain(sub.id);
    expect(await h.stripe.customers.retrieve(outsider.id)).toMatchObject({ id: outsider.id, email: 'stays@example.com' });
  });

  it('finds customers on a clock ahead of the simulator time in search', async () => {
    const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: START });
    const customer = await h.stripe.customers.create({ email: 'future@example.com', test_clock: clock.id });
    expect(customer.created).toBe(START);
    expect((await h.stripe.customers.search({ query: "email:'future@example.com'" })).data.map((c) => c.id)).toEqual([customer.id]);
  });

  it('refuses a missing clock and a fourth customer on one clock', async () => {
    await expect(h.stripe.customers.create({ test_clock: 'clock_missing' })).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'test_clock' });
    const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: START });
    for (let i = 0; i < 3; i++) await h.stripe.customers.create({ test_clock: clock.id });
    await expect(h.stripe.customers.create({ test_clock: clock.id })).rejects.toMatchObject({ statusCode: 400, param: 'test_clock' });
  });

  it('does not limit the subscriptions of a customer on a clock (Stripe allows three)', async () => {
    const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: START });
    const customer = await h.stripe.customers.create({ test_clock: clock.id });
    const price = await monthlyPrice(100);
    for (let i = 0; i < 4; i++) await h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], default_payment_method: 'pm_card_visa' });
    expect((await h.stripe.subscriptions.list({ test_clock: clock.id })).data).toHaveLength(4);
  });
});

describe('test clocks across a restart', () => {
  it('finishes an advance that was still pending when the simulator stopped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stripe-sim-clock-'));
    try {
      const first = await startHarness({ dataDir: dir });
      const clock = await first.stripe.testHelpers.testClocks.create({ frozen_time: START });
      const customer = await first.stripe.customers.create({ test_clock: clock.id });
      const price = await first.stripe.prices.create({ currency: 'usd', unit_amount: 400, recurring: { interval: 'month' }, product_data: { name: 'Kept' } });
      const sub = await first.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], default_payment_method: 'pm_card_visa' });
      await first.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: monthAfter(START) });
      await first.sim.stop();

      const second = await startHarness({ dataDir: dir });
      try {
        expect(await second.stripe.testHelpers.testClocks.retrieve(clock.id)).toMatchObject({ status: 'ready', frozen_time: monthAfter(START) });
        expect((await second.stripe.invoices.list({ subscription: sub.id })).data.map((i) => i.created)).toEqual([monthAfter(START), START]);
      } finally {
        await second.sim.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('test clock lifetime and reach', () => {
  it('deletes a clock, with its customers, once simulator time reaches deletes_after', async () => {
    const own = await startHarness();
    try {
      const clock = await own.stripe.testHelpers.testClocks.create({ frozen_time: START });
      const customer = await own.stripe.customers.create({ test_clock: clock.id });
      await own.sim.advanceClock(clock.deletes_after - own.sim.now() - 1);
      expect((await own.stripe.testHelpers.testClocks.retrieve(clock.id)).status).toBe('ready');
      await own.sim.advanceClock(1);
      await expect(own.stripe.testHelpers.testClocks.retrieve(clock.id)).rejects.toMatchObject({ statusCode: 404 });
      expect(await own.stripe.customers.retrieve(customer.id)).toMatchObject({ deleted: true });
    } finally {
      await own.sim.stop();
    }
  });

  it('stamps payment intents created through the API with the simulator time, even for a customer on a clock', async () => {
    const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: START });
    const customer = await h.stripe.customers.create({ test_clock: clock.id });
    const before = h.sim.now();
    const intent = await h.stripe.paymentIntents.create({ amount: 500, currency: 'usd', customer: customer.id });
    expect(intent.created).toBeGreaterThanOrEqual(before);
    expect(intent.created).toBeLessThanOrEqual(h.sim.now());
  });
});
