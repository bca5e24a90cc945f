// Invoices: those of subscriptions, created per billing period and paid through a payment intent
// with the subscription's card; and those created through the API from pending invoice items,
// finalized and paid. Retrieve, list, lines.
import { parseCurrency } from '../amounts';
import type { SimulatorCore } from '../core';
import { StripeApiError, invalidRequest, stateError, unsimulated } from '../errors';
import { newId, randomString } from '../ids';
import { allowOnly, applyMetadata, filterCreated, optBool, optEnum, optString, paginate, reqString } from '../params';
import type { RequestContext } from '../router';
import type { StripeObject } from '../store';
import { atCustomerTime, clockIdOfCustomer } from '../test-clock-time';
import { INVOICE_ITEM_COLLECTION, pendingItems, setDraftItemAdder, type InvoiceItem } from './invoice-items';
import { confirmIntent, createPaymentIntentObject, type Emit, type PaymentIntent } from './payment-intents';
import { resolvePaymentMethod } from './payment-methods';
import type { Price } from './prices';

export interface InvoiceLineInput {
  price: Price;
  quantity: number;
  subscriptionItem: string;
}

export interface Invoice extends StripeObject {
  object: 'invoice';
  amount_due: number;
  amount_paid: number;
  amount_remaining: number;
  attempt_count: number;
  attempted: boolean;
  billing_reason: 'manual' | 'subscription_create' | 'subscription_cycle';
  created: number;
  currency: string;
  customer: string;
  metadata: Record<string, string>;
  period_end: number;
  period_start: number;
  status: 'draft' | 'open' | 'paid' | 'uncollectible' | 'void';
  number: string | null;
  status_transitions: { finalized_at: number | null; marked_uncollectible_at: number | null; paid_at: number | null; voided_at: number | null };
  total: number;
}

export interface NewInvoice {
  customer: string;
  subscription: string;
  currency: string;
  lines: InvoiceLineInput[];
  billingReason: Invoice['billing_reason'];
  /** The period the lines bill (subscriptions bill in advance). */
  period: { start: number; end: number };
  subscriptionMetadata: Record<string, string>;
  /** Start of the period that ends as this one begins (renewals). */
  previousPeriodStart?: number;
}

let invoiceCounter = 0;

interface InvoiceFields {
  customer: string;
  currency: string;
  lines: StripeObject[];
  billingReason: Invoice['billing_reason'];
  parent: Record<string, unknown> | null;
  periodStart: number;
  periodEnd: number;
  description?: string | null;
  metadata?: Record<string, string>;
  defaultPaymentMethod?: string | null;
  autoAdvance?: boolean;
}

/** An invoice in `draft`, with totals from its lines (no tax, discounts or balance: none is simulated). */
function draftInvoice(core: SimulatorCore, id: string, n: InvoiceFields): Invoice {
  const now = core.clock.nowSeconds();
  const total = sumLines(n.lines);
  const customer = core.store.get('customer', n.customer);
  return {
    id,
    object: 'invoice',
    account_country: 'US',
    account_name: 'Stripe simulator',
    account_tax_ids: null,
    amount_due: total,
    amount_overpaid: 0,
    amount_paid: 0,
    amount_remaining: total,
    amount_shipping: 0,
    application: null,
    attempt_count: 0,
    attempted: false,
    auto_advance: n.autoAdvance ?? true,
    automatic_tax: { enabled: false, liability: null, status: null, disabled_reason: null, provider: null },
    billing_reason: n.billingReason,
    collection_method: 'charge_automatically',
    created: now,
    currency: n.currency,
    customer: n.customer,
    custom_fields: null,
    customer_address: (customer?.['address'] as unknown) ?? null,
    customer_email: (customer?.['email'] as string | null | undefined) ?? null,
    customer_name: (customer?.['name'] as string | null | undefined) ?? null,
    customer_phone: (customer?.['phone'] as string | null | undefined) ?? null,
    customer_shipping: (customer?.['shipping'] as unknown) ?? null,
    customer_tax_exempt: (customer?.['tax_exempt'] as string | undefined) ?? 'none',
    customer_tax_ids: [],
    default_payment_method: n.defaultPaymentMethod ?? null,
    default_source: null,
    default_tax_rates: [],
    description: n.description ?? null,
    discounts: [],
    due_date: null,
    automatically_finalizes_at: null,
    effective_at: null,
    ending_balance: null,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: { object: 'list', data: n.lines, has_more: false, url: `/v1/invoices/${id}/lines` },
    livemode: false,
    metadata: n.metadata ?? {},
    next_payment_attempt: null,
    number: null,
    on_behalf_of: null,
    parent: n.parent,
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: n.periodEnd,
    period_start: n.periodStart,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: { amount_tax_display: null, pdf: null, template: null, template_version: null },
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: 'draft',
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subtotal: total,
    subtotal_excluding_tax: total,
    test_clock: clockIdOfCustomer(core, n.customer),
    total,
    total_discount_amounts: [],
    total_excluding_tax: total,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: null,
  };
}

function sumLines(lines: StripeObject[]): number {
  return lines.reduce((sum, l) => sum + (l['amount'] as number), 0);
}

/** A draft becomes `open`: numbered, finalized, its amounts fixed. */
function finalizeObject(core: SimulatorCore, invoice: Invoice): Invoice {
  const now = core.clock.nowSeconds();
  invoiceCounter += 1;
  return {
    ...invoice,
    status: 'open',
    number: `${randomString(8).toUpperCase()}-${String(invoiceCounter).padStart(4, '0')}`,
    effective_at: now,
    ending_balance: 0,
    status_transitions: { ...invoice.status_transitions, finalized_at: now },
  };
}

/** A finalized (open) invoice for a subscription period, emitting `invoice.created` and `invoice.finalized`. */
export function createSubscriptionInvoice(core: SimulatorCore, emit: Emit, n: NewInvoice): Invoice {
  const id = newId('in');
  const draft = draftInvoice(core, id, {
    customer: n.customer,
    currency: n.currency,
    billingReason: n.billingReason,
    lines: n.lines.map((l) => ({
      id: `il_${randomString(24)}`,
      object: 'line_item',
      amount: (l.price.unit_amount ?? 0) * l.quantity,
      currency: n.currency,
      description: `${l.quantity} × ${l.price.product} (at ${l.price.unit_amount ?? 0} / ${l.price.recurring?.interval ?? 'once'})`,
      discount_amounts: [],
      discountable: true,
      discounts: [],
      invoice: id,
      livemode: false,
      metadata: {},
      parent: {
        type: 'subscription_item_details',
        invoice_item_details: null,
        subscription_item_details: { invoice_item: null, proration: false, proration_details: { credited_items: null }, subscription: n.subscription, subscription_item: l.subscriptionItem },
      },
      period: { start: n.period.start, end: n.period.end },
      pretax_credit_amounts: [],
      pricing: { type: 'price_details', price_details: { price: l.price.id, product: l.price.product }, unit_amount_decimal: l.price.unit_amount_decimal },
      quantity: l.quantity,
      taxes: [],
    })),
    parent: { type: 'subscription_details', quote_details: null, subscription_details: { metadata: n.subscriptionMetadata, subscription: n.subscription } },
    // Stripe bills subscriptions in advance: the invoice's own period is the one that just ended.
    periodStart: n.previousPeriodStart ?? n.period.start,
    periodEnd: n.period.start,
  });
  const invoice = finalizeObject(core, draft);
  core.store.insert('invoice', invoice);
  emit('invoice.created', draft);
  emit('invoice.finalized', invoice);
  return invoice;
}

/** Marks an invoice paid by a payment intent, emitting `invoice.paid` and `invoice.payment_succeeded`. */
export function markInvoicePaid(core: SimulatorCore, emit: Emit, invoiceId: string, pi: PaymentIntent): Invoice {
  const invoice = structuredClone(core.store.require<Invoice>('invoice', invoiceId));
  const now = core.clock.nowSeconds();
  invoice.amount_paid = invoice.amount_due;
  invoice.amount_remaining = 0;
  invoice.attempt_count += 1;
  invoice.attempted = true;
  invoice.status = 'paid';
  invoice.status_transitions = { ...invoice.status_transitions, paid_at: now };
  invoice['payments'] = {
    object: 'list',
    data: [
      {
        id: `inpay_${randomString(24)}`,
        object: 'invoice_payment',
        amount_paid: invoice.amount_due,
        amount_requested: invoice.amount_due,
        created: now,
        currency: invoice.currency,
        invoice: invoice.id,
        is_default: true,
        livemode: false,
        payment: { type: 'payment_intent', payment_intent: pi.id },
        status: 'paid',
        status_transitions: { canceled_at: null, paid_at: now },
      },
    ],
    has_more: false,
    url: `/v1/invoice_payments?invoice=${invoice.id}`,
  };
  core.store.put('invoice', invoice);
  emit('invoice.paid', invoice);
  emit('invoice.payment_succeeded', invoice);
  return invoice;
}

export function markInvoicePaymentFailed(core: SimulatorCore, emit: Emit, invoiceId: string): Invoice {
  const invoice = structuredClone(core.store.require<Invoice>('invoice', invoiceId));
  invoice.attempt_count += 1;
  invoice.attempted = true;
  core.store.put('invoice', invoice);
  emit('invoice.payment_failed', invoice);
  return invoice;
}

/**
 * Charges an invoice with a saved card, off session (as renewals are): succeeds, or records the
 * decline on the invoice. Returns the payment intent either way.
 */
export function payInvoiceOffSession(
  core: SimulatorCore,
  emit: Emit,
  invoice: Invoice,
  paymentMethod: string | null,
): { paid: boolean; paymentIntent: PaymentIntent | null; error?: StripeApiError } {
  if (paymentMethod === null) {
    markInvoicePaymentFailed(core, emit, invoice.id);
    return { paid: false, paymentIntent: null };
  }
  const pi = createPaymentIntentObject(core, {
    amount: invoice.amount_due,
    currency: invoice.currency,
    customer: invoice.customer,
    description: invoice.billing_reason === 'subscription_create' ? 'Subscription creation' : invoice.billing_reason === 'manual' ? 'Payment for Invoice' : 'Subscription update',
    paymentMethodTypes: ['card'],
    automaticPaymentMethods: null,
  });
  emit('payment_intent.created', pi);
  try {
    const confirmed = confirmIntent(core, emit, pi, { paymentMethod, offSession: true });
    if (confirmed.status === 'succeeded') {
      markInvoicePaid(core, emit, invoice.id, confirmed);
      return { paid: true, paymentIntent: confirmed };
    }
  } catch (err) {
    if (!(err instanceof StripeApiError) || err.status !== 402) throw err;
    markInvoicePaymentFailed(core, emit, invoice.id);
    return { paid: false, paymentIntent: core.store.get<PaymentIntent>('payment_intent', pi.id) ?? null, error: err };
  }
  markInvoicePaymentFailed(core, emit, invoice.id);
  return { paid: false, paymentIntent: core.store.get<PaymentIntent>('payment_intent', pi.id) ?? null };
}

// Invoices created through the API (`billing_reason: manual`): a draft taking the customer's
// pending invoice items, finalized, then paid with a card off session.

function itemLine(invoiceId: string, item: InvoiceItem): StripeObject {
  return {
    id: `il_${randomString(24)}`,
    object: 'line_item',
    amount: item.amount,
    currency: item.currency,
    description: item.description,
    discount_amounts: [],
    discountable: item['discountable'],
    discounts: [],
    invoice: invoiceId,
    livemode: false,
    metadata: { ...item.metadata },
    parent: {
      type: 'invoice_item_details',
      invoice_item_details: { invoice_item: item.id, proration: false, proration_details: { credited_items: null }, subscription: null },
      subscription_item_details: null,
    },
    period: item['period'],
    pretax_credit_amounts: [],
    pricing: null,
    quantity: item.quantity,
    taxes: [],
  };
}

function addItems(core: SimulatorCore, invoice: Invoice, items: InvoiceItem[]): Invoice {
  const lines = invoice['lines'] as { data: StripeObject[] };
  const next = structuredClone(invoice);
  const data = [...lines.data, ...items.map((item) => itemLine(invoice.id, item))];
  const total = sumLines(data);
  Object.assign(next, { lines: { ...lines, data }, amount_due: total, amount_remaining: total, subtotal: total, subtotal_excluding_tax: total, total, total_excluding_tax: total });
  for (const item of items) core.store.put(INVOICE_ITEM_COLLECTION, { ...item, invoice: invoice.id });
  core.store.put('invoice', next);
  return next;
}

function createInvoice(ctx: RequestContext): Invoice {
  allowOnly(ctx.params, ['auto_advance', 'collection_method', 'currency', 'customer', 'default_payment_method', 'description', 'metadata', 'pending_invoice_items_behavior']);
  const { core } = ctx;
  const customer = reqString(ctx.params, 'customer');
  core.store.require('customer', customer, 'customer');
  if ((optEnum(ctx.params, 'collection_method', ['charge_automatically', 'send_invoice'] as const) ?? 'charge_automatically') !== 'charge_automatically') {
    throw unsimulated('collection_method', 'collection_method=send_invoice');
  }
  // Current API versions leave pending items out unless asked to include them.
  const include = (optEnum(ctx.params, 'pending_invoice_items_behavior', ['exclude', 'include'] as const) ?? 'exclude') === 'include';
  const pending = include ? pendingItems(core, customer) : [];
  const currency = optString(ctx.params, 'currency') !== undefined ? parseCurrency(ctx.params) : (pending[0]?.currency ?? 'usd');
  const foreign = pending.find((i) => i.currency !== currency);
  if (foreign) throw invalidRequest(`The invoice item ${foreign.id} is in ${foreign.currency}, not ${currency}.`, 'currency');
  const pm = optString(ctx.params, 'default_payment_method');
  const defaultPaymentMethod = pm === undefined ? null : resolvePaymentMethod(core, pm, 'default_payment_method').id;
  const autoAdvance = optBool(ctx.params, 'auto_advance');
  return atCustomerTime(core, customer, () => {
    const now = core.clock.nowSeconds();
    const draft = draftInvoice(core, newId('in'), {
      customer,
      currency,
      lines: [],
      billingReason: 'manual',
      parent: null,
      periodStart: now,
      periodEnd: now,
      description: optString(ctx.params, 'description') ?? null,
      metadata: applyMetadata({}, ctx.params),
      defaultPaymentMethod,
      // Drafts made through the API wait to be finalized (Stripe finalizes them after an hour; the simulator never does).
      autoAdvance: autoAdvance ?? false,
    });
    core.store.insert('invoice', draft);
    const invoice = pending.length > 0 ? addItems(core, draft, pending) : draft;
    ctx.emit('invoice.created', invoice);
    return invoice;
  });
}

function finalizeNow(core: SimulatorCore, emit: Emit, invoice: Invoice): Invoice {
  const open = finalizeObject(core, invoice);
  core.store.put('invoice', open);
  emit('invoice.finalized', open);
  return open;
}

function requireDraftOrOpen(ctx: RequestContext, action: string): Invoice {
  const invoice = ctx.core.store.require<Invoice>('invoice', ctx.pathParams['id']!);
  if (invoice.status !== 'draft' && invoice.status !== 'open') {
    throw stateError(`This invoice is ${invoice.status}, so it cannot be ${action}.`, 'invoice_not_editable');
  }
  return invoice;
}

function finalize(ctx: RequestContext): Invoice {
  allowOnly(ctx.params, ['auto_advance']);
  const autoAdvance = optBool(ctx.params, 'auto_advance');
  const invoice = requireDraftOrOpen(ctx, 'finalized');
  if (invoice.status !== 'draft') throw stateError('This invoice is already finalized, you can\'t re-finalize a non-draft invoice.', 'invoice_not_editable');
  return atCustomerTime(ctx.core, invoice.customer, () => {
    const open = finalizeNow(ctx.core, ctx.emit, autoAdvance === undefined ? invoice : { ...invoice, auto_advance: autoAdvance });
    // Nothing to collect: Stripe marks a zero invoice paid as it is finalized.
    return open.amount_due === 0 ? markInvoicePaidWithoutPayment(ctx.core, ctx.emit, open.id) : open;
  });
}

function markInvoicePaidWithoutPayment(core: SimulatorCore, emit: Emit, invoiceId: string): Invoice {
  const invoice = structuredClone(core.store.require<Invoice>('invoice', invoiceId));
  invoice.status = 'paid';
  invoice.amount_paid = invoice.amount_due;
  invoice.amount_remaining = 0;
  invoice.status_transitions = { ...invoice.status_transitions, paid_at: core.clock.nowSeconds() };
  core.store.put('invoice', invoice);
  emit('invoice.paid', invoice);
  emit('invoice.payment_succeeded', invoice);
  return invoice;
}

function pay(ctx: RequestContext): Invoice {
  allowOnly(ctx.params, ['off_session', 'payment_method']);
  const { core } = ctx;
  let invoice = requireDraftOrOpen(ctx, 'paid');
  optBool(ctx.params, 'off_session');
  const given = optString(ctx.params, 'payment_method');
  const pm = given !== undefined ? resolvePaymentMethod(core, given).id : (invoice['default_payment_method'] as string | null) ?? defaultPaymentMethodOf(core, invoice.customer);
  if (pm === null && invoice.amount_due > 0) {
    throw invalidRequest('This customer has no attached payment source or default payment method. Please consider adding a default payment method.');
  }
  return atCustomerTime(core, invoice.customer, () => {
    if (invoice.status === 'draft') invoice = finalizeNow(core, ctx.emit, invoice);
    if (invoice.amount_due === 0) return markInvoicePaidWithoutPayment(core, ctx.emit, invoice.id);
    const { paid, error } = payInvoiceOffSession(core, ctx.emit, invoice, pm);
    if (!paid && error) throw error;
    return core.store.require<Invoice>('invoice', invoice.id);
  });
}

function defaultPaymentMethodOf(core: SimulatorCore, customerId: string): string | null {
  const settings = core.store.get('customer', customerId)?.['invoice_settings'] as { default_payment_method?: string | null } | undefined;
  return settings?.default_payment_method ?? null;
}

function retrieve(ctx: RequestContext): StripeObject {
  return ctx.core.store.require('invoice', ctx.pathParams['id']!);
}

function list(ctx: RequestContext): unknown {
  allowOnly(ctx.params, ['collection_method', 'created', 'customer', 'ending_before', 'limit', 'starting_after', 'status', 'subscription']);
  let items = filterCreated(ctx.core.store.all<Invoice>('invoice'), ctx.params);
  const customer = optString(ctx.params, 'customer');
  if (customer !== undefined) items = items.filter((i) => i.customer === customer);
  const subscription = optString(ctx.params, 'subscription');
  if (subscription !== undefined) items = items.filter((i) => (i['parent'] as { subscription_details?: { subscription?: string } } | null)?.subscription_details?.subscription === subscription);
  const status = optString(ctx.params, 'status');
  if (status !== undefined) items = items.filter((i) => i.status === status);
  const collection = optString(ctx.params, 'collection_method');
  if (collection !== undefined) items = items.filter((i) => i['collection_method'] === collection);
  return paginate(items, ctx.params, '/v1/invoices');
}

function lines(ctx: RequestContext): unknown {
  const invoice = ctx.core.store.require<Invoice>('invoice', ctx.pathParams['id']!);
  const data = (invoice['lines'] as { data: StripeObject[] }).data;
  return paginate(data, ctx.params, `/v1/invoices/${invoice.id}/lines`);
}

export function registerInvoices(core: SimulatorCore): void {
  const r = core.router;
  r.post('/v1/invoices', createInvoice);
  r.post('/v1/invoices/:id/finalize', finalize);
  r.post('/v1/invoices/:id/pay', pay);
  r.get('/v1/invoices', list);
  r.get('/v1/invoices/:id', retrieve);
  r.get('/v1/invoices/:id/lines', lines);
  setDraftItemAdder((c, _emit, invoiceId, items) => void addItems(c, c.store.require<Invoice>('invoice', invoiceId), items));
}
