// Invoice items: amounts owed by a customer, pending until an invoice takes them in (an invoice
// created with `pending_invoice_items_behavior=include`, or one named by `invoice`). Create,
// retrieve, list, delete while pending.
import { parseCurrency } from '../amounts';
import type { SimulatorCore } from '../core';
import { invalidRequest, missingParam, stateError } from '../errors';
import { newId } from '../ids';
import { allowNested, allowOnly, applyMetadata, filterCreated, optBool, optInt, optString, paginate, reqString } from '../params';
import type { RequestContext } from '../router';
import type { StripeObject } from '../store';
import { atCustomerTime, clockIdOfCustomer } from '../test-clock-time';

export interface InvoiceItem extends StripeObject {
  object: 'invoiceitem';
  amount: number;
  currency: string;
  customer: string;
  date: number;
  description: string | null;
  invoice: string | null;
  metadata: Record<string, string>;
  quantity: number;
}

export const INVOICE_ITEM_COLLECTION = 'invoiceitem';

function create(ctx: RequestContext): InvoiceItem {
  allowOnly(ctx.params, ['amount', 'currency', 'customer', 'description', 'discountable', 'invoice', 'metadata', 'period']);
  allowNested(ctx.params, 'period', { start: true, end: true });
  const customer = reqString(ctx.params, 'customer');
  ctx.core.store.require('customer', customer, 'customer');
  const amount = optInt(ctx.params, 'amount');
  if (amount === undefined) throw missingParam('amount');
  if (optString(ctx.params, 'currency') === undefined) throw missingParam('currency');
  const currency = parseCurrency(ctx.params);
  // Negative amounts are credits; only the size is limited.
  if (Math.abs(amount) > 99_999_999) throw invalidRequest('This value must be less than or equal to 99999999.', 'amount', 'amount_too_large');
  const invoiceId = optString(ctx.params, 'invoice');
  if (invoiceId !== undefined) {
    const invoice = ctx.core.store.require('invoice', invoiceId, 'invoice');
    if (invoice['status'] !== 'draft') throw stateError(`Invoice ${invoiceId} is not a draft, so no items can be added to it.`, 'invoice_not_editable');
    if (invoice['customer'] !== customer) throw invalidRequest('The invoice belongs to another customer.', 'invoice');
  }
  return atCustomerTime(ctx.core, customer, () => {
    const now = ctx.core.clock.nowSeconds();
    const period = ctx.params['period'] as { start?: string; end?: string } | undefined;
    const item: InvoiceItem = {
      id: newId('ii'),
      object: 'invoiceitem',
      amount,
      currency,
      customer,
      customer_account: null,
      date: now,
      description: optString(ctx.params, 'description') ?? null,
      discountable: optBool(ctx.params, 'discountable') ?? amount >= 0,
      discounts: [],
      invoice: null,
      livemode: false,
      metadata: applyMetadata({}, ctx.params),
      // No discounts or taxes are simulated: the net amount is the amount.
      net_amount: amount,
      parent: null,
      period: { start: period?.start !== undefined ? Number(period.start) : now, end: period?.end !== undefined ? Number(period.end) : now },
      pricing: null,
      proration: false,
      quantity: 1,
      quantity_decimal: '1',
      tax_rates: [],
      test_clock: clockIdOfCustomer(ctx.core, customer),
    };
    ctx.core.store.insert(INVOICE_ITEM_COLLECTION, item);
    ctx.emit('invoiceitem.created', item);
    if (invoiceId !== undefined) addItemsToDraft(ctx.core, ctx.emit, invoiceId, [item]);
    return ctx.core.store.require<InvoiceItem>(INVOICE_ITEM_COLLECTION, item.id);
  });
}

/** Set by the invoice resource: adds items to a draft invoice's lines (and marks them invoiced). */
let addItemsToDraft: (core: SimulatorCore, emit: RequestContext['emit'], invoiceId: string, items: InvoiceItem[]) => void = () => {
  throw new Error('invoices are not registered');
};

export function setDraftItemAdder(adder: typeof addItemsToDraft): void {
  addItemsToDraft = adder;
}

/** The customer's invoice items that no invoice has taken yet, oldest first. */
export function pendingItems(core: SimulatorCore, customer: string): InvoiceItem[] {
  return core.store
    .all<InvoiceItem>(INVOICE_ITEM_COLLECTION)
    .filter((i) => i.customer === customer && i.invoice === null && i['deleted'] !== true)
    .reverse();
}

function retrieve(ctx: RequestContext): StripeObject {
  return ctx.core.store.require(INVOICE_ITEM_COLLECTION, ctx.pathParams['id']!);
}

function list(ctx: RequestContext): unknown {
  allowOnly(ctx.params, ['created', 'customer', 'ending_before', 'invoice', 'limit', 'pending', 'starting_after']);
  let items = filterCreated(ctx.core.store.all<InvoiceItem>(INVOICE_ITEM_COLLECTION).filter((i) => i['deleted'] !== true), ctx.params, 'date');
  const customer = optString(ctx.params, 'customer');
  if (customer !== undefined) items = items.filter((i) => i.customer === customer);
  const invoice = optString(ctx.params, 'invoice');
  if (invoice !== undefined) items = items.filter((i) => i.invoice === invoice);
  const pending = optBool(ctx.params, 'pending');
  if (pending !== undefined) items = items.filter((i) => (i.invoice === null) === pending);
  return paginate(items, ctx.params, '/v1/invoiceitems');
}

function remove(ctx: RequestContext): StripeObject {
  const item = ctx.core.store.require<InvoiceItem>(INVOICE_ITEM_COLLECTION, ctx.pathParams['id']!);
  if (item.invoice !== null) throw stateError('This invoice item is on an invoice and can no longer be deleted.', 'invoice_not_editable');
  const stub = { id: item.id, object: 'invoiceitem', deleted: true };
  ctx.core.store.put(INVOICE_ITEM_COLLECTION, stub);
  ctx.emit('invoiceitem.deleted', item);
  return stub;
}

export function registerInvoiceItems(core: SimulatorCore): void {
  const r = core.router;
  r.post('/v1/invoiceitems', create);
  r.get('/v1/invoiceitems', list);
  r.get('/v1/invoiceitems/:id', retrieve);
  r.delete('/v1/invoiceitems/:id', remove);
}
