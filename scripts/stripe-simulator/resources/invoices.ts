// Invoices of subscriptions: created per billing period, paid through a payment intent with the
// subscription's card. Retrieve and list; the API cannot create them (the simulator bills only
// subscriptions).
import type { SimulatorCore } from '../core';
import { StripeApiError } from '../errors';
import { newId, randomString } from '../ids';
import { allowOnly, filterCreated, optString, paginate } from '../params';
import type { RequestContext } from '../router';
import type { StripeObject } from '../store';
import { clockIdOfCustomer } from '../test-clock-time';
import { confirmIntent, createPaymentIntentObject, type Emit, type PaymentIntent } from './payment-intents';
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
  billing_reason: 'subscription_create' | 'subscription_cycle';
  created: number;
  currency: string;
  customer: string;
  metadata: Record<string, string>;
  period_end: number;
  period_start: number;
  status: 'draft' | 'open' | 'paid' | 'uncollectible' | 'void';
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

/** A finalized (open) invoice for a subscription period, emitting `invoice.created` and `invoice.finalized`. */
export function createSubscriptionInvoice(core: SimulatorCore, emit: Emit, n: NewInvoice): Invoice {
  const id = newId('in');
  const now = core.clock.nowSeconds();
  const total = n.lines.reduce((sum, l) => sum + (l.price.unit_amount ?? 0) * l.quantity, 0);
  const customer = core.store.get('customer', n.customer);
  invoiceCounter += 1;
  const invoice: Invoice = {
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
    auto_advance: true,
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
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    due_date: null,
    automatically_finalizes_at: null,
    effective_at: now,
    ending_balance: 0,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: {
      object: 'list',
      data: n.lines.map((l) => ({
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
      has_more: false,
      url: `/v1/invoices/${id}/lines`,
    },
    livemode: false,
    metadata: {},
    next_payment_attempt: null,
    number: `${randomString(8).toUpperCase()}-${String(invoiceCounter).padStart(4, '0')}`,
    on_behalf_of: null,
    parent: { type: 'subscription_details', quote_details: null, subscription_details: { metadata: n.subscriptionMetadata, subscription: n.subscription } },
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    // Stripe bills subscriptions in advance: the invoice's own period is the one that just ended.
    period_end: n.period.start,
    period_start: n.previousPeriodStart ?? n.period.start,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: { amount_tax_display: null, pdf: null, template: null, template_version: null },
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: 'open',
    status_transitions: { finalized_at: now, marked_uncollectible_at: null, paid_at: null, voided_at: null },
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
  core.store.insert('invoice', invoice);
  emit('invoice.created', { ...invoice, status: 'draft', status_transitions: { ...invoice.status_transitions, finalized_at: null } });
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
export function payInvoiceOffSession(core: SimulatorCore, emit: Emit, invoice: Invoice, paymentMethod: string | null): { paid: boolean; paymentIntent: PaymentIntent | null } {
  if (paymentMethod === null) {
    markInvoicePaymentFailed(core, emit, invoice.id);
    return { paid: false, paymentIntent: null };
  }
  const pi = createPaymentIntentObject(core, {
    amount: invoice.amount_due,
    currency: invoice.currency,
    customer: invoice.customer,
    description: invoice.billing_reason === 'subscription_create' ? 'Subscription creation' : 'Subscription update',
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
  }
  markInvoicePaymentFailed(core, emit, invoice.id);
  return { paid: false, paymentIntent: core.store.get<PaymentIntent>('payment_intent', pi.id) ?? null };
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
  if (subscription !== undefined) items = items.filter((i) => (i['parent'] as { subscription_details?: { subscription?: string } }).subscription_details?.subscription === subscription);
  const status = optString(ctx.params, 'status');
  if (status !== undefined) items = items.filter((i) => i.status === status);
  return paginate(items, ctx.params, '/v1/invoices');
}

function lines(ctx: RequestContext): unknown {
  const invoice = ctx.core.store.require<Invoice>('invoice', ctx.pathParams['id']!);
  const data = (invoice['lines'] as { data: StripeObject[] }).data;
  return paginate(data, ctx.params, `/v1/invoices/${invoice.id}/lines`);
}

export function registerInvoices(core: SimulatorCore): void {
  const r = core.router;
  r.get('/v1/invoices', list);
  r.get('/v1/invoices/:id', retrieve);
  r.get('/v1/invoices/:id/lines', lines);
}
