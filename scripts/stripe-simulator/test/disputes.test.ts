import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Stripe from 'stripe';
import { repoRoot } from '../../lib/resources';
import { raw, startHarness, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.sim.stop();
});

async function paidCharge(): Promise<{ pi: Stripe.PaymentIntent; charge: string }> {
  const pi = await h.stripe.paymentIntents.create({
    amount: 3000,
    currency: 'usd',
    payment_method: 'pm_card_visa',
    confirm: true,
    automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
  });
  return { pi, charge: pi.latest_charge as string };
}

async function openDispute(charge: string, reason = 'fraudulent'): Promise<Stripe.Dispute> {
  const res = await raw(h.sim, 'POST', `/_simulator/charges/${charge}/dispute`, `reason=${reason}`, { Authorization: '' });
  expect(res.status).toBe(200);
  return res.json as unknown as Stripe.Dispute;
}

describe('disputes', () => {
  it('opens a dispute on a succeeded charge, with charge.dispute.created, readable through the SDK', async () => {
    const { pi, charge } = await paidCharge();
    const opened = await openDispute(charge);
    expect(opened.id).toMatch(/^dp_/);
    const dispute = await h.stripe.disputes.retrieve(opened.id);
    expect(dispute).toMatchObject({ object: 'dispute', amount: 3000, currency: 'usd', charge, payment_intent: pi.id, reason: 'fraudulent', status: 'needs_response', is_charge_refundable: false });
    expect(dispute.evidence_details.due_by).toBeGreaterThan(dispute.created);
    expect((await h.stripe.charges.retrieve(charge)).disputed).toBe(true);

    const events = await h.stripe.events.list({ type: 'charge.dispute.created' });
    expect(events.data.map((e) => (e.data.object as Stripe.Dispute).id)).toContain(opened.id);
    expect((await h.stripe.disputes.list({ payment_intent: pi.id })).data.map((d) => d.id)).toEqual([opened.id]);

    const again = await raw(h.sim, 'POST', `/_simulator/charges/${charge}/dispute`, '');
    expect(again.status).toBe(400);
  });

  it('takes evidence, goes under review when submitted, and closes won or lost', async () => {
    const { charge } = await paidCharge();
    const opened = await openDispute(charge, 'product_not_received');
    const draft = await h.stripe.disputes.update(opened.id, { evidence: { uncategorized_text: 'Delivered on time' }, submit: false, metadata: { ticket: 't1' } });
    expect(draft).toMatchObject({ status: 'needs_response', evidence: expect.objectContaining({ uncategorized_text: 'Delivered on time' }) as unknown, metadata: { ticket: 't1' } });
    const submitted = await h.stripe.disputes.update(opened.id, { evidence: { shipping_tracking_number: 'Z123' } });
    expect(submitted.status).toBe('under_review');
    expect(submitted.evidence_details).toMatchObject({ has_evidence: true, submission_count: 1 });
    await expect(h.stripe.disputes.update(opened.id, { evidence: { uncategorized_text: 'late' } })).rejects.toMatchObject({ statusCode: 400 });

    const won = await raw(h.sim, 'POST', `/_simulator/disputes/${opened.id}/resolve`, 'outcome=won');
    expect(won.json).toMatchObject({ status: 'won' });
    const closed = (await h.stripe.events.list({ type: 'charge.dispute.closed' })).data.find((e) => (e.data.object as Stripe.Dispute).id === opened.id);
    expect(closed?.data.previous_attributes).toMatchObject({ status: 'under_review' });

    const other = await openDispute((await paidCharge()).charge);
    const accepted = await h.stripe.disputes.close(other.id);
    expect(accepted.status).toBe('lost');
    await expect(h.stripe.disputes.close(other.id)).rejects.toMatchObject({ statusCode: 400 });
  });

  it('refuses charges that did not succeed, and unknown ids', async () => {
    const declined = await h.stripe.paymentIntents
      .create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_chargeDeclined', confirm: true, automatic_payment_methods: { enabled: true, allow_redirects: 'never' } })
      .catch((e: { payment_intent?: Stripe.PaymentIntent }) => e.payment_intent!);
    expect((await raw(h.sim, 'POST', `/_simulator/charges/${declined.latest_charge as string}/dispute`, '')).status).toBe(400);
    expect((await raw(h.sim, 'POST', '/_simulator/charges/ch_missing/dispute', '')).status).toBe(404);
    await expect(h.stripe.disputes.retrieve('dp_missing')).rejects.toMatchObject({ code: 'resource_missing', statusCode: 404 });
  });

  it('answers in the shape of Stripe’s dispute object', async () => {
    const spec = JSON.parse(readFileSync(join(repoRoot, '.tools', 'stripe-openapi', 'spec3.json'), 'utf8')) as {
      components: { schemas: Record<string, { properties: Record<string, unknown>; required?: string[] }> };
    };
    const schema = spec.components.schemas['dispute']!;
    const dispute = (await h.stripe.disputes.retrieve((await openDispute((await paidCharge()).charge)).id)) as unknown as Record<string, unknown>;
    const fields = Object.keys(dispute).filter((k) => k !== 'lastResponse');
    expect(fields.filter((k) => !(k in schema.properties))).toEqual([]);
    expect((schema.required ?? []).filter((k) => !(k in dispute))).toEqual([]);
    const evidence = spec.components.schemas['dispute_evidence']!;
    expect(Object.keys(dispute['evidence'] as object).filter((k) => !(k in evidence.properties))).toEqual([]);
  });
});
