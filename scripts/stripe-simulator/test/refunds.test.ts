import Stripe from 'stripe';
import { paidIntent, startHarness, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.sim.stop();
});

const paid = (amount: number, captureMethod: 'automatic' | 'manual' = 'automatic') => paidIntent(h.stripe, amount, captureMethod);

describe('refunds', () => {
  it('refunds in parts until nothing is left, then refuses', async () => {
    const pi = await paid(1000);
    const r1 = await h.stripe.refunds.create({ payment_intent: pi.id, amount: 300, reason: 'requested_by_customer', metadata: { ticket: 't1' } });
    expect(r1).toMatchObject({ object: 'refund', amount: 300, status: 'succeeded', payment_intent: pi.id, charge: pi.latest_charge, reason: 'requested_by_customer', currency: 'usd' });
    expect(r1.id).toMatch(/^re_/);
    let charge = await h.stripe.charges.retrieve(pi.latest_charge as string);
    expect(charge).toMatchObject({ amount_refunded: 300, refunded: false });

    await expect(h.stripe.refunds.create({ payment_intent: pi.id, amount: 701 })).rejects.toMatchObject({ type: 'StripeInvalidRequestError', param: 'amount' });
    const r2 = await h.stripe.refunds.create({ charge: pi.latest_charge as string, amount: 200 });
    const r3 = await h.stripe.refunds.create({ payment_intent: pi.id });
    expect(r3.amount).toBe(500);
    charge = await h.stripe.charges.retrieve(pi.latest_charge as string);
    expect(charge).toMatchObject({ amount_refunded: 1000, refunded: true });

    const err = await h.stripe.refunds.create({ payment_intent: pi.id, amount: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(err).toMatchObject({ code: 'charge_already_refunded' });

    const listed = await h.stripe.refunds.list({ payment_intent: pi.id });
    expect(listed.data.map((r) => r.id)).toEqual([r3.id, r2.id, r1.id]);
    const types = (await h.stripe.events.list({ types: ['refund.created', 'charge.refunded'], limit: 100 })).data
      .filter((e) => [r1.id, r2.id, r3.id, pi.latest_charge].includes((e.data.object as { id: string }).id))
      .map((e) => e.type)
      .reverse();
    expect(types).toEqual(['refund.created', 'charge.refunded', 'refund.created', 'charge.refunded', 'refund.created', 'charge.refunded']);
    const updated = await h.stripe.refunds.update(r1.id, { metadata: { ticket: 't2' } });
    expect(updated.metadata).toEqual({ ticket: 't2' });
  });

  it('refunds only what was captured of a partially captured payment', async () => {
    const pi = await paid(1000, 'manual');
    await h.stripe.paymentIntents.capture(pi.id, { amount_to_capture: 600 });
    await expect(h.stripe.refunds.create({ payment_intent: pi.id, amount: 700 })).rejects.toMatchObject({ param: 'amount' });
    const refund = await h.stripe.refunds.create({ payment_intent: pi.id });
    expect(refund.amount).toBe(600);
    expect((await h.stripe.charges.retrieve(pi.latest_charge as string)).refunded).toBe(true);
  });

  it('refuses refunds without a successful charge', async () => {
    const open = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
    await expect(h.stripe.refunds.create({ payment_intent: open.id })).rejects.toMatchObject({ type: 'StripeInvalidRequestError' });
    const held = await paid(1000, 'manual');
    await expect(h.stripe.refunds.create({ payment_intent: held.id })).rejects.toMatchObject({ type: 'StripeInvalidRequestError' });
    await expect(h.stripe.refunds.create({ charge: 'ch_missing' })).rejects.toMatchObject({ code: 'resource_missing', param: 'charge' });
    await expect(h.stripe.refunds.create({})).rejects.toMatchObject({ type: 'StripeInvalidRequestError' });
  });

  it('never refunds more than the charge under concurrent requests', async () => {
    const pi = await paid(1000);
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => h.stripe.refunds.create({ payment_intent: pi.id, amount: 300 })));
    const ok = results.filter((r) => r.status === 'fulfilled');
    expect(ok).toHaveLength(3);
    expect((await h.stripe.charges.retrieve(pi.latest_charge as string)).amount_refunded).toBe(900);
  });
});
