// Invoices created through the API from invoice items: draft, finalize, pay, as the CLI's invoice fixtures use them.
import type Stripe from 'stripe';
import { CARD_PAYMENT_EVENTS, startHarness, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.sim.stop();
});

const typesOfRequest = (requestId: string): string[] =>
  h.sim
    .events()
    .filter((e) => e.request.id === requestId)
    .reverse()
    .map((e) => e.type);

async function customerWithItems(...amounts: number[]): Promise<{ customer: Stripe.Customer; items: Stripe.InvoiceItem[] }> {
  const customer = await h.stripe.customers.create({ description: 'invoiced' });
  const items: Stripe.InvoiceItem[] = [];
  for (const amount of amounts) items.push(await h.stripe.invoiceItems.create({ customer: customer.id, amount, currency: 'usd', description: `item ${amount}` }));
  return { customer, items };
}

describe('invoice items and invoices through the API', () => {
  it('takes pending items into a draft when asked, finalizes it, and pays it with a card', async () => {
    const { customer, items } = await customerWithItems(2000, 500);
    expect(items[0]).toMatchObject({ object: 'invoiceitem', customer: customer.id, amount: 2000, currency: 'usd', invoice: null });
    expect((await h.stripe.invoiceItems.list({ customer: customer.id, pending: true })).data).toHaveLength(2);

    const draft = await h.stripe.invoices.create({ customer: customer.id, description: 'CLI-like', pending_invoice_items_behavior: 'include' });
    expect(draft).toMatchObject({ status: 'draft', billing_reason: 'manual', number: null, amount_due: 2500, total: 2500, parent: null });
    expect(draft.lines.data.map((l) => [l.amount, l.parent?.invoice_item_details?.invoice_item])).toEqual([
      [2000, items[0]!.id],
      [500, items[1]!.id],
    ]);
    expect((await h.stripe.invoiceItems.retrieve(items[0]!.id)).invoice).toBe(draft.id);
    expect(typesOfRequest(draft.lastResponse.requestId)).toEqual(['invoice.created']);

    const open = await h.stripe.invoices.finalizeInvoice(draft.id);
    expect(open).toMatchObject({ status: 'open', amount_remaining: 2500 });
    expect(open.number).toMatch(/-\d{4}$/);
    await expect(h.stripe.invoices.finalizeInvoice(draft.id)).rejects.toMatchObject({ statusCode: 400 });

    const card = await h.stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    const paid = await h.stripe.invoices.pay(draft.id, { payment_method: card.id });
    expect(paid).toMatchObject({ status: 'paid', amount_paid: 2500, amount_remaining: 0, attempt_count: 1 });
    expect(typesOfRequest(paid.lastResponse.requestId)).toEqual([...CARD_PAYMENT_EVENTS, 'invoice.paid', 'invoice.payment_succeeded']);
  });

  it('pays a draft by finalizing it first; a declined card is a 402 and leaves the invoice open', async () => {
    const { customer } = await customerWithItems(2000);
    const draft = await h.stripe.invoices.create({ customer: customer.id, pending_invoice_items_behavior: 'include' });
    const card = await h.stripe.paymentMethods.attach('pm_card_chargeCustomerFail', { customer: customer.id });
    const failure = await h.stripe.invoices.pay(draft.id, { payment_method: card.id }).catch((err: unknown) => err as Stripe.errors.StripeCardError);
    expect(failure).toMatchObject({ statusCode: 402, type: 'StripeCardError', code: 'card_declined' });
    const failedRequest = h.sim.events().find((e) => e.type === 'invoice.payment_failed' && e.data.object.id === draft.id)!.request.id!;
    expect(typesOfRequest(failedRequest)).toEqual(['invoice.finalized', 'payment_intent.created', 'charge.failed', 'payment_intent.payment_failed', 'invoice.payment_failed']);
    expect(await h.stripe.invoices.retrieve(draft.id)).toMatchObject({ status: 'open', attempt_count: 1, attempted: true, amount_paid: 0 });
  });

  it('leaves pending items out by default; an empty invoice is paid as it is finalized; an invoiced item cannot be deleted', async () => {
    const { customer, items } = await customerWithItems(700);
    const empty = await h.stripe.invoices.create({ customer: customer.id });
    expect(empty).toMatchObject({ amount_due: 0, lines: { data: [] } });
    expect(await h.stripe.invoices.finalizeInvoice(empty.id)).toMatchObject({ status: 'paid', amount_paid: 0 });

    const taking = await h.stripe.invoices.create({ customer: customer.id, pending_invoice_items_behavior: 'include' });
    expect(taking.amount_due).toBe(700);
    // Stripe would finalize a draft with auto_advance after about an hour; the simulator leaves it to the caller.
    const autoAdvancing = await h.stripe.invoices.create({ customer: customer.id, auto_advance: true });
    await h.sim.advanceClock(2 * 60 * 60);
    expect((await h.stripe.invoices.retrieve(autoAdvancing.id)).status).toBe('draft');
    await expect(h.stripe.invoiceItems.del(items[0]!.id)).rejects.toMatchObject({ statusCode: 400 });
    const spare = await h.stripe.invoiceItems.create({ customer: customer.id, amount: 100, currency: 'usd' });
    expect(await h.stripe.invoiceItems.del(spare.id)).toMatchObject({ id: spare.id, deleted: true });
    await expect(h.stripe.invoices.create({ customer: customer.id, collection_method: 'send_invoice' })).rejects.toMatchObject({ code: 'parameter_unknown' });
  });

  it('adds an item to a named draft', async () => {
    const customer = await h.stripe.customers.create({});
    const draft = await h.stripe.invoices.create({ customer: customer.id });
    await h.stripe.invoiceItems.create({ customer: customer.id, amount: 1234, currency: 'usd', invoice: draft.id });
    expect(await h.stripe.invoices.retrieve(draft.id)).toMatchObject({ amount_due: 1234, total: 1234 });
  });
});
