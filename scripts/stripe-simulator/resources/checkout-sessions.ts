// Checkout sessions (payment and subscription modes): create, retrieve, update, list, expire,
// line items, and the hosted page at the session's `url`, where a tester pays with a test card
// (or cancels). Paying confirms a payment intent (3-D Secure via the challenge page), creates
// the subscription in subscription mode, completes the session and redirects to `success_url`.
import { parseUnitAmount, validateChargeAmount } from '../amounts';
import { renderCheckoutPage, renderMessagePage, type CheckoutPageModel } from '../checkout-page';
import type { SimulatorCore } from '../core';
import { StripeApiError, invalidRequest, missingParam, stateError, unsimulated } from '../errors';
import type { FormObject } from '../form';
import { randomString } from '../ids';
import { allowNested, allowOnly, applyMetadata, filterCreated, optArray, optBool, optEnum, optInt, optObject, optShipping, optString, optStringArray, paginate, reqString, SHIPPING_SHAPE } from '../params';
import { RawResponse, type RequestContext } from '../router';
import type { StripeObject } from '../store';
import { cardByNumber, luhnValid } from '../test-cards';
import { createCustomerObject, type Customer } from './customers';
import { cardTypesOnly, confirmIntent, createPaymentIntentObject, type Emit, type PaymentIntent } from './payment-intents';
import { paymentMethodForCard, resolvePaymentMethod, type PaymentMethod } from './payment-methods';
import { createPriceObject, type Price } from './prices';
import { createProductObject, type Product } from './products';
import { createSubscription } from './subscriptions';
import { atCustomerTime } from '../test-clock-time';

const COLLECTION = 'checkout.session';
/** Per-session state Stripe does not show (line items, the pending payment). */
const INTERNAL = 'checkout_session_internal';

const DEFAULT_LIFETIME_SECONDS = 24 * 60 * 60;
const MIN_LIFETIME_SECONDS = 30 * 60;

export interface CheckoutSession extends StripeObject {
  object: 'checkout.session';
  amount_subtotal: number;
  amount_total: number;
  cancel_url: string | null;
  created: number;
  currency: string;
  customer: string | null;
  customer_email: string | null;
  expires_at: number;
  invoice: string | null;
  metadata: Record<string, string>;
  mode: 'payment' | 'subscription';
  payment_intent: string | null;
  payment_status: 'paid' | 'unpaid' | 'no_payment_required';
  status: 'open' | 'complete' | 'expired';
  subscription: string | null;
  success_url: string | null;
  url: string | null;
}

interface LineItem extends StripeObject {
  object: 'item';
  amount_subtotal: number;
  amount_total: number;
  currency: string;
  description: string;
  price: Price;
  quantity: number;
}

interface SessionInternal extends StripeObject {
  object: 'checkout_session_internal';
  line_items: LineItem[];
  /** The intent being paid (payment mode: also on the session; subscription mode: the first invoice's). */
  payment_intent: string | null;
  payment_method: string | null;
  payment_intent_data: {
    capture_method?: PaymentIntent['capture_method'];
    metadata: Record<string, string>;
    description: string | null;
    /** Fields copied as they are onto the intent (shipping, receipt_email, statement descriptors…). */
    fields?: Record<string, unknown>;
  };
  subscription_metadata: Record<string, string>;
  subscription_description?: string | null;
  customer_creation: 'always' | 'if_required';
}

const CREATE_PARAMS = [
  'allow_promotion_codes', 'automatic_tax', 'billing_address_collection', 'cancel_url', 'client_reference_id', 'consent_collection',
  'currency', 'custom_text', 'customer', 'customer_creation', 'customer_email', 'customer_update', 'expires_at', 'invoice_creation',
  'line_items', 'locale', 'metadata', 'mode', 'payment_intent_data', 'payment_method_collection', 'payment_method_types',
  'phone_number_collection', 'submit_type', 'subscription_data', 'success_url', 'ui_mode',
];

const PAYMENT_INTENT_DATA_SHAPE = {
  capture_method: true,
  description: true,
  metadata: true,
  receipt_email: true,
  setup_future_usage: true,
  shipping: SHIPPING_SHAPE,
  statement_descriptor: true,
  statement_descriptor_suffix: true,
  transfer_group: true,
} as const;
const SUBSCRIPTION_DATA_SHAPE = { description: true, metadata: true, trial_period_days: true } as const;

/**
 * Options of the hosted page the simulator does not have (tax, promotion codes, address or phone
 * collection, consent, custom text, invoices): refused when asked for, so a flow that needs them
 * is not tested against a page that silently lacks them.
 */
function refuseUnsimulatedOptions(params: FormObject): void {
  const enabled = (name: string): boolean => {
    const v = params[name];
    return v !== undefined && (typeof v === 'string' ? v !== '' : optBool(optObject(params, name) ?? {}, 'enabled') !== false);
  };
  if (optBool(params, 'allow_promotion_codes') === true) throw unsimulated('allow_promotion_codes', 'promotion codes');
  for (const [name, what] of [
    ['automatic_tax', 'tax'],
    ['invoice_creation', 'invoices for one-time payments'],
    ['phone_number_collection', 'phone number collection'],
  ] as const) {
    if (enabled(name)) throw unsimulated(name, what);
  }
  for (const [name, what] of [
    ['consent_collection', 'consent collection'],
    ['custom_text', 'custom text'],
    ['customer_update', 'saving collected details on the customer'],
    ['currency', 'adaptive pricing (the currency comes from the prices)'],
  ] as const) {
    if (params[name] !== undefined) throw unsimulated(name, what);
  }
  if (optEnum(params, 'billing_address_collection', ['auto', 'required'] as const) === 'required') throw unsimulated('billing_address_collection', 'address collection');
  if (optEnum(params, 'payment_method_collection', ['always', 'if_required'] as const) === 'if_required') {
    throw unsimulated('payment_method_collection', 'checkout without a payment method');
  }
  const sd = optObject(params, 'subscription_data');
  if (sd?.['trial_period_days'] !== undefined) throw unsimulated('subscription_data[trial_period_days]', 'trials');
}

function productName(core: SimulatorCore, price: Price): string {
  return (core.store.get<Product>('product', price.product)?.['name'] as string | undefined) ?? price.product;
}

function lineItem(core: SimulatorCore, raw: FormObject, index: number): LineItem {
  const param = `line_items[${index}]`;
  const priceId = optString(raw, 'price');
  const priceData = optObject(raw, 'price_data');
  let price: Price;
  if (priceId !== undefined) {
    price = core.store.require<Price>('price', priceId, `${param}[price]`);
    if (!price.active) throw invalidRequest(`The price \`${priceId}\` is not active.`, `${param}[price]`);
  } else if (priceData !== undefined) {
    parseUnitAmount(priceData);
    let product: Product | undefined;
    const productData = optObject(priceData, 'product_data');
    if (productData !== undefined) {
      product = createProductObject(core, productData);
      core.store.insert('product', product);
    } else if (optString(priceData, 'product') === undefined) {
      throw invalidRequest(`You must specify either \`product\` or \`product_data\` in ${param}[price_data].`, `${param}[price_data]`);
    }
    price = createPriceObject(core, priceData, product);
    // Ad-hoc prices exist only for this session, as Stripe creates them inactive.
    price.active = false;
    core.store.insert('price', price);
  } else {
    throw invalidRequest(`You must specify either \`price\` or \`price_data\` in ${param}.`, param);
  }
  const quantity = optInt(raw, 'quantity');
  if (quantity === undefined) throw missingParam(`${param}[quantity]`);
  if (quantity < 1 || quantity > 999_999) throw invalidRequest(`Invalid ${param}[quantity]: must be between 1 and 999999.`, `${param}[quantity]`);
  if (price.unit_amount === null) throw invalidRequest(`The price \`${price.id}\` has no unit_amount.`, `${param}[price]`);
  const amount = price.unit_amount * quantity;
  return {
    id: `li_${randomString(24)}`,
    object: 'item',
    amount_discount: 0,
    amount_subtotal: amount,
    amount_tax: 0,
    amount_total: amount,
    currency: price.currency,
    description: productName(core, price),
    discounts: [],
    price: structuredClone(price),
    quantity,
    taxes: [],
  };
}

function internalOf(core: SimulatorCore, session: CheckoutSession): SessionInternal {
  return core.store.require<SessionInternal>(INTERNAL, session.id);
}

function lineItemsList(core: SimulatorCore, session: CheckoutSession, params: FormObject = {}): unknown {
  // Line items are listed in the order they were given, not newest first.
  return paginate(internalOf(core, session).line_items, params, `/v1/checkout/sessions/${session.id}/line_items`);
}

function withExpandedLineItems(ctx: RequestContext, session: CheckoutSession): StripeObject {
  const expand = optStringArray(ctx.params, 'expand') ?? [];
  if (!expand.includes('line_items')) return session;
  return { ...session, line_items: lineItemsList(ctx.core, session) };
}

function expireSession(core: SimulatorCore, emit: Emit, current: CheckoutSession): CheckoutSession {
  const next = structuredClone(current);
  next.status = 'expired';
  next.url = null;
  core.store.put(COLLECTION, next);
  emit('checkout.session.expired', next);
  return next;
}

/** Sessions past `expires_at` expire, as Stripe expires them (called as simulated time moves). */
export function expireDueSessions(core: SimulatorCore, now: number): void {
  const emit: Emit = (type, object, prev) => core.events.emit(type, object, prev);
  for (const session of core.store.all<CheckoutSession>(COLLECTION)) {
    if (session.status === 'open' && session.expires_at <= now) expireSession(core, emit, session);
  }
}

function create(ctx: RequestContext): StripeObject {
  allowOnly(ctx.params, CREATE_PARAMS);
  const { core } = ctx;
  const mode = optEnum(ctx.params, 'mode', ['payment', 'subscription', 'setup'] as const);
  if (mode === undefined) throw missingParam('mode');
  if (mode === 'setup') throw invalidRequest('The simulator supports mode=payment and mode=subscription only.', 'mode');
  const uiMode = optString(ctx.params, 'ui_mode') ?? 'hosted';
  if (uiMode !== 'hosted') throw invalidRequest('The simulator supports ui_mode=hosted only.', 'ui_mode');
  const successUrl = optString(ctx.params, 'success_url');
  if (successUrl === undefined) throw missingParam('success_url');
  for (const [name, value] of [['success_url', successUrl], ['cancel_url', optString(ctx.params, 'cancel_url')]] as const) {
    if (value === undefined) continue;
    try {
      new URL(value);
    } catch {
      throw invalidRequest(`Not a valid URL`, name, 'url_invalid');
    }
  }
  const customerId = optString(ctx.params, 'customer');
  const customerEmail = optString(ctx.params, 'customer_email');
  if (customerId !== undefined && customerEmail !== undefined) {
    throw invalidRequest('You may only specify one of these parameters: customer, customer_email.', 'customer_email');
  }
  if (customerId !== undefined) core.store.require('customer', customerId, 'customer');

  const rawItems = optArray(ctx.params, 'line_items');
  if (!rawItems || rawItems.length === 0) throw missingParam('line_items');
  const items = rawItems.map((raw, i) => {
    if (typeof raw !== 'object' || Array.isArray(raw)) throw invalidRequest('Invalid array', 'line_items');
    return lineItem(core, raw, i);
  });
  const currency = items[0]!.currency;
  if (items.some((i) => i.currency !== currency)) throw invalidRequest('All line items must use the same currency.', 'line_items');
  const recurring = items.filter((i) => i.price.type === 'recurring');
  if (mode === 'payment' && recurring.length > 0) {
    throw invalidRequest('You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.', 'line_items');
  }
  if (mode === 'subscription' && recurring.length === 0) {
    throw invalidRequest('You must specify at least one recurring price in `subscription` mode when using prices.', 'line_items');
  }
  if (mode === 'subscription' && recurring.length !== items.length) {
    throw invalidRequest('The simulator supports recurring prices only in subscription mode.', 'line_items');
  }
  const total = items.reduce((sum, i) => sum + i.amount_total, 0);
  validateChargeAmount(total, currency, 'line_items');

  const now = core.clock.nowSeconds();
  const expiresAt = optInt(ctx.params, 'expires_at') ?? now + DEFAULT_LIFETIME_SECONDS;
  if (expiresAt < now + MIN_LIFETIME_SECONDS || expiresAt > now + DEFAULT_LIFETIME_SECONDS) {
    throw invalidRequest('The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.', 'expires_at');
  }

  refuseUnsimulatedOptions(ctx.params);
  cardTypesOnly(ctx.params, 'payment_method_types');
  allowNested(ctx.params, 'payment_intent_data', PAYMENT_INTENT_DATA_SHAPE);
  allowNested(ctx.params, 'subscription_data', SUBSCRIPTION_DATA_SHAPE);
  const pid = optObject(ctx.params, 'payment_intent_data') ?? {};
  const pidFields: Record<string, unknown> = {};
  const shipping = optShipping(pid);
  if (shipping !== undefined) pidFields['shipping'] = shipping;
  for (const field of ['receipt_email', 'statement_descriptor', 'statement_descriptor_suffix', 'transfer_group'] as const) {
    const v = optString(pid, field);
    if (v !== undefined) pidFields[field] = v;
  }
  const pidFutureUsage = optEnum(pid, 'setup_future_usage', ['on_session', 'off_session'] as const);
  if (pidFutureUsage !== undefined) pidFields['setup_future_usage'] = pidFutureUsage;
  if (mode === 'subscription' && ctx.params['payment_intent_data'] !== undefined) {
    throw invalidRequest('You can not pass `payment_intent_data` in `subscription` mode.', 'payment_intent_data');
  }
  const captureMethod = optEnum(pid, 'capture_method', ['automatic', 'automatic_async', 'manual'] as const);
  const sd = optObject(ctx.params, 'subscription_data') ?? {};
  if (mode === 'payment' && ctx.params['subscription_data'] !== undefined) {
    throw invalidRequest('You can not pass `subscription_data` in `payment` mode.', 'subscription_data');
  }
  const customerCreation = optEnum(ctx.params, 'customer_creation', ['always', 'if_required'] as const);
  if (customerCreation !== undefined && customerId !== undefined) {
    throw invalidRequest('You may only specify one of these parameters: customer, customer_creation.', 'customer_creation');
  }

  const id = `cs_test_${randomString(58)}`;
  const session: CheckoutSession = {
    id,
    object: 'checkout.session',
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: null,
    amount_subtotal: total,
    amount_total: total,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: optString(ctx.params, 'billing_address_collection') ?? null,
    cancel_url: optString(ctx.params, 'cancel_url') ?? null,
    client_reference_id: optString(ctx.params, 'client_reference_id') ?? null,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: now,
    currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: customerId ?? null,
    customer_creation: customerId !== undefined ? null : (customerCreation ?? (mode === 'subscription' ? 'always' : 'if_required')),
    customer_details: null,
    customer_email: customerEmail ?? null,
    discounts: [],
    expires_at: expiresAt,
    invoice: null,
    // invoice_data is never null in Stripe, even with invoice creation off: only its fields are.
    invoice_creation:
      mode === 'payment'
        ? {
            enabled: false,
            invoice_data: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: null, metadata: {}, rendering_options: null },
          }
        : null,
    livemode: false,
    locale: optString(ctx.params, 'locale') ?? null,
    metadata: applyMetadata({}, ctx.params),
    mode,
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: mode === 'subscription' || ctx.params['payment_method_collection'] !== undefined ? 'always' : null,
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: ['card'],
    payment_status: 'unpaid',
    permissions: null,
    phone_number_collection: { enabled: false },
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: 'open',
    submit_type: optEnum(ctx.params, 'submit_type', ['auto', 'book', 'donate', 'pay', 'subscribe'] as const) ?? null,
    subscription: null,
    success_url: successUrl,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'hosted',
    url: `${core.baseUrl}/c/pay/${id}`,
    wallet_options: null,
  };
  const internal: SessionInternal = {
    id,
    object: 'checkout_session_internal',
    line_items: items,
    payment_intent: null,
    payment_method: null,
    payment_intent_data: {
      ...(captureMethod !== undefined ? { capture_method: captureMethod } : {}),
      metadata: applyMetadata({}, pid),
      description: optString(pid, 'description') ?? null,
      fields: pidFields,
    },
    subscription_metadata: applyMetadata({}, sd),
    subscription_description: optString(sd, 'description') ?? null,
    customer_creation: session.customer_creation === 'always' ? 'always' : 'if_required',
  };
  core.store.insert(INTERNAL, internal);
  core.store.insert(COLLECTION, session);
  return withExpandedLineItems(ctx, session);
}

function retrieve(ctx: RequestContext): StripeObject {
  expireDueSessions(ctx.core, ctx.core.clock.nowSeconds());
  return withExpandedLineItems(ctx, ctx.core.store.require<CheckoutSession>(COLLECTION, ctx.pathParams['id']!));
}

function update(ctx: RequestContext): StripeObject {
  allowOnly(ctx.params, ['metadata']);
  const current = ctx.core.store.require<CheckoutSession>(COLLECTION, ctx.pathParams['id']!);
  const next = { ...current, metadata: applyMetadata(current.metadata, ctx.params) };
  ctx.core.store.put(COLLECTION, next);
  return next;
}

function expire(ctx: RequestContext): StripeObject {
  const current = ctx.core.store.require<CheckoutSession>(COLLECTION, ctx.pathParams['id']!);
  if (current.status !== 'open') {
    throw stateError(`Only Checkout Sessions with a status in ["open"] can be expired. This session has status "${current.status}".`);
  }
  return expireSession(ctx.core, ctx.emit, current);
}

function list(ctx: RequestContext): unknown {
  allowOnly(ctx.params, ['created', 'customer', 'customer_details', 'ending_before', 'limit', 'payment_intent', 'payment_link', 'starting_after', 'status', 'subscription']);
  expireDueSessions(ctx.core, ctx.core.clock.nowSeconds());
  let items = filterCreated(ctx.core.store.all<CheckoutSession>(COLLECTION), ctx.params);
  for (const field of ['customer', 'payment_intent', 'payment_link', 'status', 'subscription'] as const) {
    const value = optString(ctx.params, field);
    if (value !== undefined) items = items.filter((s) => s[field] === value);
  }
  allowNested(ctx.params, 'customer_details', { email: true });
  const email = optString(optObject(ctx.params, 'customer_details') ?? {}, 'email');
  if (email !== undefined) items = items.filter((s) => (s['customer_details'] as { email?: string | null } | null)?.email === email);
  return paginate(items, ctx.params, '/v1/checkout/sessions');
}

function lineItems(ctx: RequestContext): unknown {
  const session = ctx.core.store.require<CheckoutSession>(COLLECTION, ctx.pathParams['id']!);
  return lineItemsList(ctx.core, session, ctx.params);
}

// The hosted page.

function pageModel(core: SimulatorCore, session: CheckoutSession, extra: { error?: string; email?: string; name?: string } = {}): CheckoutPageModel {
  const internal = internalOf(core, session);
  const customer = session.customer ? core.store.get<Customer>('customer', session.customer) : undefined;
  return {
    sessionId: session.id,
    mode: session.mode,
    status: session.status,
    currency: session.currency,
    total: session.amount_total,
    items: internal.line_items.map((i) => ({
      description: i.description,
      quantity: i.quantity,
      amount: i.amount_total,
      interval: i.price.recurring ? (i.price.recurring.interval_count > 1 ? `${i.price.recurring.interval_count} ${i.price.recurring.interval}s` : i.price.recurring.interval) : null,
    })),
    email: extra.email ?? session.customer_email ?? customer?.email ?? '',
    name: extra.name ?? customer?.name ?? '',
    ...(extra.error !== undefined ? { error: extra.error } : {}),
    cancelUrl: session.cancel_url,
    successUrl: successRedirect(session),
  };
}

function successRedirect(session: CheckoutSession): string | null {
  return session.success_url === null ? null : session.success_url.replaceAll('{CHECKOUT_SESSION_ID}', session.id);
}

function showPage(core: SimulatorCore, session: CheckoutSession, status = 200, extra: { error?: string; email?: string; name?: string } = {}): RawResponse {
  return RawResponse.html(renderCheckoutPage(pageModel(core, session, extra)), status);
}

function sessionForPage(ctx: RequestContext): CheckoutSession | RawResponse {
  expireDueSessions(ctx.core, ctx.core.clock.nowSeconds());
  const session = ctx.core.store.get<CheckoutSession>(COLLECTION, ctx.pathParams['id']!);
  if (!session) return RawResponse.html(renderMessagePage('Checkout', 'Something went wrong: this checkout session does not exist.'), 404);
  return session;
}

function getPage(ctx: RequestContext): RawResponse {
  const session = sessionForPage(ctx);
  if (session instanceof RawResponse) return session;
  return showPage(ctx.core, session);
}

class PageError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

function validExpiry(value: string, now: Date): boolean {
  const m = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(value);
  if (!m) return false;
  const month = Number(m[1]);
  let year = Number(m[2]);
  if (year < 100) year += 2000;
  if (month < 1 || month > 12) return false;
  return year > now.getUTCFullYear() || (year === now.getUTCFullYear() && month >= now.getUTCMonth() + 1);
}

/** The card a tester typed, as a test PaymentMethod. */
function cardFromForm(core: SimulatorCore, form: FormObject, billing: Record<string, unknown>): PaymentMethod {
  const number = (optString(form, 'card_number') ?? '').replace(/[\s-]/g, '');
  if (number === '') throw new PageError('Your card number is incomplete.');
  if (!/^\d+$/.test(number) || !luhnValid(number)) throw new PageError('Your card number is invalid.');
  const expiry = optString(form, 'card_expiry') ?? '';
  if (!validExpiry(expiry, new Date(core.clock.nowMs()))) throw new PageError("Your card's expiration date is incomplete or in the past.");
  const cvc = optString(form, 'card_cvc') ?? '';
  if (!/^\d{3,4}$/.test(cvc)) throw new PageError("Your card's security code is incomplete.");
  // Numbers that are not special test cards behave like the plain Visa test card.
  const magic = cardByNumber(number)?.paymentMethod ?? 'pm_card_visa';
  return paymentMethodForCard(core, magic, billing);
}

function ensureCustomer(ctx: RequestContext, session: CheckoutSession, internal: SessionInternal, email: string, name: string | null): string | null {
  if (session.customer !== null) return session.customer;
  if (internal.customer_creation !== 'always') return null;
  const customer = createCustomerObject(ctx.core, { email, ...(name ? { name } : {}) });
  ctx.core.store.insert('customer', customer);
  ctx.emit('customer.created', customer);
  return customer.id;
}

/** Marks the session complete after a successful payment (and creates the subscription). */
function completeSession(ctx: RequestContext, sessionId: string): CheckoutSession {
  const { core } = ctx;
  const session = structuredClone(core.store.require<CheckoutSession>(COLLECTION, sessionId));
  const internal = internalOf(core, session);
  const pi = core.store.require<PaymentIntent>('payment_intent', internal.payment_intent!);
  const details = (session['customer_details'] ?? {}) as { email?: string; name?: string | null };
  const customerId = session.customer ?? (pi.customer !== null ? pi.customer : null);
  if (session.mode === 'subscription') {
    const pm = core.store.require<PaymentMethod>('payment_method', internal.payment_method!, 'payment_method');
    if (pm.customer === null && customerId !== null) {
      const attached = { ...pm, customer: customerId };
      core.store.put('payment_method', attached);
      ctx.emit('payment_method.attached', attached);
    }
    const { subscription, invoice } = createSubscription(core, ctx.emit, {
      customer: customerId!,
      lines: internal.line_items.map((i) => ({ price: i.price, quantity: i.quantity })),
      metadata: internal.subscription_metadata,
      description: internal.subscription_description ?? null,
      paymentMethod: pm.id,
      firstPayment: pi,
    });
    session.subscription = subscription.id;
    session.invoice = invoice.id;
  } else {
    session.payment_intent = pi.id;
  }
  session.customer = customerId;
  session.status = 'complete';
  // A manually captured payment is authorized, not yet collected.
  session.payment_status = pi.status === 'succeeded' ? 'paid' : 'unpaid';
  session.url = null;
  session['customer_details'] = {
    address: null,
    business_name: null,
    email: details.email ?? null,
    individual_name: null,
    name: details.name ?? null,
    phone: null,
    tax_exempt: 'none',
    tax_ids: [],
  };
  core.store.put(COLLECTION, session);
  ctx.emit('checkout.session.completed', session);
  return session;
}

function payOrCancel(ctx: RequestContext): RawResponse {
  const found = sessionForPage(ctx);
  if (found instanceof RawResponse) return found;
  const { core } = ctx;
  const session = found;
  const action = optString(ctx.params, 'action') ?? 'pay';
  if (session.status !== 'open') return showPage(core, session, 409);
  if (action === 'cancel') {
    if (session.cancel_url === null) return showPage(core, session, 400, { error: 'This checkout session has no cancel URL.' });
    return RawResponse.redirect(session.cancel_url);
  }
  const email = (optString(ctx.params, 'email') ?? '').trim();
  const name = (optString(ctx.params, 'billing_name') ?? '').trim();
  const keep = { email, name };
  try {
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new PageError('Your email address is invalid.');
    const pm = cardFromForm(core, ctx.params, { email, name: name || null });
    let confirmed: PaymentIntent;
    try {
      confirmed = payWith(ctx, session, pm, email, name || null, `${core.baseUrl}/c/pay/${session.id}/return`);
    } catch (err) {
      if (err instanceof StripeApiError && err.status === 402) throw new PageError(err.body.message, 402);
      throw err;
    }
    if (confirmed.status === 'requires_action') {
      const redirect = (confirmed.next_action?.['redirect_to_url'] as { url?: string } | undefined)?.url;
      if (redirect) return RawResponse.redirect(redirect);
    }
    if (confirmed.status !== 'succeeded' && confirmed.status !== 'requires_capture') throw new PageError('Your payment could not be completed.', 402);
    const done = atCustomerTime(core, confirmed.customer, () => completeSession(ctx, session.id));
    return RawResponse.redirect(successRedirect(done) ?? `${core.baseUrl}/c/pay/${done.id}`);
  } catch (err) {
    if (err instanceof PageError) return showPage(core, core.store.require<CheckoutSession>(COLLECTION, session.id), err.status, { ...keep, error: err.message });
    if (err instanceof StripeApiError) return showPage(core, core.store.require<CheckoutSession>(COLLECTION, session.id), err.status, { ...keep, error: err.body.message });
    throw err;
  }
}

/**
 * Pays an open session with a card, as the buyer does on the page: the customer (when the session
 * creates one), the session's payment intent, confirmed with the card. A decline is thrown (402).
 */
function payWith(ctx: RequestContext, session: CheckoutSession, pm: PaymentMethod, email: string, name: string | null, returnUrl: string): PaymentIntent {
  const { core } = ctx;
  const internal = structuredClone(internalOf(core, session));
  const customer = ensureCustomer(ctx, session, internal, email, name);
  const current = structuredClone(session);
  current.customer = customer;
  current['customer_details'] = { email, name };
  core.store.put(COLLECTION, current);

  // A customer on a test clock pays, and subscribes, at that clock's time.
  return atCustomerTime(core, customer, () => {
    let pi = internal.payment_intent ? core.store.get<PaymentIntent>('payment_intent', internal.payment_intent) : undefined;
    if (!pi || pi.status === 'canceled') {
      pi = createPaymentIntentObject(core, {
        amount: session.amount_total,
        currency: session.currency,
        customer,
        description: session.mode === 'subscription' ? 'Subscription creation' : internal.payment_intent_data.description,
        metadata: session.mode === 'payment' ? internal.payment_intent_data.metadata : {},
        ...(session.mode === 'payment' && internal.payment_intent_data.capture_method ? { captureMethod: internal.payment_intent_data.capture_method } : {}),
        paymentMethodTypes: ['card'],
        automaticPaymentMethods: null,
      });
      if (session.mode === 'payment') Object.assign(pi, internal.payment_intent_data.fields ?? {});
      core.store.put('payment_intent', pi);
      ctx.emit('payment_intent.created', pi);
    }
    internal.payment_intent = pi.id;
    internal.payment_method = pm.id;
    core.store.put(INTERNAL, internal);
    return confirmIntent(core, ctx.emit, pi, { paymentMethod: pm.id, returnUrl });
  });
}

/**
 * The calls Stripe's own checkout page (and `stripe trigger checkout.session.completed`) makes:
 * read the page, then confirm it with a payment method. Not a public API; the simulator answers
 * with the session, so the CLI's fixture completes a session as a buyer would.
 */
function paymentPage(ctx: RequestContext): StripeObject {
  expireDueSessions(ctx.core, ctx.core.clock.nowSeconds());
  return ctx.core.store.require<CheckoutSession>(COLLECTION, ctx.pathParams['id']!);
}

function confirmPaymentPage(ctx: RequestContext): StripeObject {
  allowOnly(ctx.params, ['payment_method', 'expected_amount', 'email']);
  const { core } = ctx;
  const session = core.store.require<CheckoutSession>(COLLECTION, ctx.pathParams['id']!);
  if (session.status !== 'open') throw stateError(`This Checkout Session is ${session.status}, so it can no longer be paid.`, 'checkout_session_not_open');
  const expected = optInt(ctx.params, 'expected_amount');
  if (expected !== undefined && expected !== session.amount_total) {
    throw invalidRequest(`The expected amount (${expected}) differs from the session's total (${session.amount_total}).`, 'expected_amount');
  }
  const pm = resolvePaymentMethod(core, reqString(ctx.params, 'payment_method'));
  const billing = pm['billing_details'] as { email?: string | null; name?: string | null };
  const email = optString(ctx.params, 'email') ?? billing.email ?? session.customer_email ?? '';
  if (email === '') throw missingParam('email');
  const confirmed = payWith(ctx, session, pm, email, billing.name ?? null, session.success_url ?? `${core.baseUrl}/c/pay/${session.id}`);
  if (confirmed.status !== 'succeeded' && confirmed.status !== 'requires_capture') return core.store.require<CheckoutSession>(COLLECTION, session.id);
  return atCustomerTime(core, confirmed.customer, () => completeSession(ctx, session.id));
}

/** Back from the 3-D Secure page: complete the session if the payment went through. */
function returnFromAuthentication(ctx: RequestContext): RawResponse {
  const found = sessionForPage(ctx);
  if (found instanceof RawResponse) return found;
  const session = found;
  if (session.status !== 'open') return showPage(ctx.core, session, 409);
  const internal = internalOf(ctx.core, session);
  const pi = internal.payment_intent ? ctx.core.store.get<PaymentIntent>('payment_intent', internal.payment_intent) : undefined;
  if (pi && (pi.status === 'succeeded' || pi.status === 'requires_capture')) {
    const done = atCustomerTime(ctx.core, session.customer, () => completeSession(ctx, session.id));
    return RawResponse.redirect(successRedirect(done) ?? `${ctx.core.baseUrl}/c/pay/${done.id}`);
  }
  return showPage(ctx.core, session, 402, {
    error: 'We are unable to authenticate your payment method. Please choose a different payment method and try again.',
  });
}

export function registerCheckoutSessions(core: SimulatorCore): void {
  const r = core.router;
  r.post('/v1/checkout/sessions', create);
  r.get('/v1/checkout/sessions', list);
  r.get('/v1/checkout/sessions/:id', retrieve);
  r.post('/v1/checkout/sessions/:id', update);
  r.post('/v1/checkout/sessions/:id/expire', expire);
  r.get('/v1/checkout/sessions/:id/line_items', lineItems);
  const open = { auth: false };
  r.get('/v1/payment_pages/:id', paymentPage);
  r.post('/v1/payment_pages/:id/confirm', confirmPaymentPage);
  r.get('/c/pay/:id', getPage, open);
  r.post('/c/pay/:id', payOrCancel, open);
  r.get('/c/pay/:id/return', returnFromAuthentication, open);
  core.clock.onAdvance((now) => expireDueSessions(core, now));
}

