// Customers: create, retrieve, update, list (email filter), search, delete.
import type { SimulatorCore } from '../core';
import { type StripeApiError, invalidRequest, resourceMissing, stateError } from '../errors';
import { previousAttributes } from '../events';
import type { FormObject, FormValue } from '../form';
import { newId, randomString } from '../ids';
import { allowOnly, applyMetadata, filterCreated, optInt, optNullableString, optObject, optString, optStringArray, paginate, reqString } from '../params';
import type { RequestContext } from '../router';
import { search } from '../search';
import type { StripeObject } from '../store';
import { liveTestClock } from '../test-clock-time';
import { resolvePaymentMethod, type PaymentMethod } from './payment-methods';

export interface Customer extends StripeObject {
  object: 'customer';
  created: number;
  email: string | null;
  name: string | null;
  metadata: Record<string, string>;
}

const WRITABLE = [
  'address',
  'balance',
  'description',
  'email',
  'invoice_settings',
  'metadata',
  'name',
  'phone',
  'preferred_locales',
  'shipping',
  'tax_exempt',
] as const;

const CREATE_ONLY = ['payment_method', 'test_clock'] as const;
const UPDATE_ONLY = ['default_source'] as const;

const EMAIL = /^[^\s@]+@[^\s@]+$/;

function email(params: FormObject): string | null | undefined {
  const v = optNullableString(params, 'email');
  if (typeof v === 'string' && (v.length > 512 || !EMAIL.test(v))) {
    throw invalidRequest(`Invalid email address: ${v}`, 'email', 'email_invalid');
  }
  return v;
}

function address(value: FormValue | undefined): Record<string, string | null> | null | undefined {
  if (value === undefined) return undefined;
  if (value === '') return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidRequest('Invalid object', 'address', 'parameter_invalid_object');
  const out: Record<string, string | null> = { city: null, country: null, line1: null, line2: null, postal_code: null, state: null };
  for (const [k, v] of Object.entries(value)) {
    if (!(k in out)) throw invalidRequest(`Received unknown parameter: address[${k}]`, `address[${k}]`, 'parameter_unknown');
    out[k] = typeof v === 'string' && v !== '' ? v : null;
  }
  return out;
}

function applyWritable(customer: Customer, params: FormObject): void {
  const e = email(params);
  if (e !== undefined) customer.email = e;
  for (const field of ['name', 'phone', 'description'] as const) {
    const v = optNullableString(params, field);
    if (v !== undefined) customer[field] = v;
  }
  const addr = address(params['address']);
  if (addr !== undefined) customer['address'] = addr;
  const shipping = optObject(params, 'shipping');
  if (shipping !== undefined) {
    customer['shipping'] = { address: address(shipping['address']) ?? null, name: optString(shipping, 'name') ?? null, phone: optString(shipping, 'phone') ?? null };
  } else if (params['shipping'] === '') customer['shipping'] = null;
  const balance = optInt(params, 'balance');
  if (balance !== undefined) customer['balance'] = balance;
  const locales = optStringArray(params, 'preferred_locales');
  if (locales !== undefined) customer['preferred_locales'] = locales;
  const taxExempt = optString(params, 'tax_exempt');
  if (taxExempt !== undefined) {
    if (!['none', 'exempt', 'reverse'].includes(taxExempt)) throw invalidRequest('Invalid tax_exempt', 'tax_exempt', 'parameter_invalid_string');
    customer['tax_exempt'] = taxExempt;
  }
  const invoiceSettings = optObject(params, 'invoice_settings');
  if (invoiceSettings !== undefined) {
    const current = customer['invoice_settings'] as Record<string, unknown>;
    const pm = optNullableString(invoiceSettings, 'default_payment_method');
    customer['invoice_settings'] = { ...current, ...(pm !== undefined ? { default_payment_method: pm } : {}) };
  }
  customer.metadata = applyMetadata(customer.metadata, params);
}

export function createCustomerObject(core: SimulatorCore, params: FormObject): Customer {
  const customer: Customer = {
    id: newId('cus'),
    object: 'customer',
    address: null,
    balance: 0,
    created: core.clock.nowSeconds(),
    currency: null,
    default_source: null,
    delinquent: false,
    description: null,
    discount: null,
    email: null,
    invoice_prefix: randomString(8).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: {},
    name: null,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: optString(params, 'test_clock') ?? null,
  };
  applyWritable(customer, params);
  return customer;
}

/** Stripe lets a test clock hold at most three customers. */
const CUSTOMERS_PER_TEST_CLOCK = 3;

/** The frozen time of the test clock a new customer joins (checked), or undefined without one. */
function joiningClockTime(core: SimulatorCore, params: FormObject): number | undefined {
  const id = optString(params, 'test_clock');
  if (id === undefined) return undefined;
  const clock = liveTestClock(core, id);
  if (!clock) throw resourceMissing('test clock', id, 'test_clock');
  if (clock.status === 'advancing') assertClockReadyForNew(clock.id);
  const members = live(core).filter((c) => c['test_clock'] === id).length;
  if (members >= CUSTOMERS_PER_TEST_CLOCK) {
    throw invalidRequest(`The test clock ${id} already has the maximum of ${CUSTOMERS_PER_TEST_CLOCK} customers.`, 'test_clock', 'test_clock_customer_limit');
  }
  return clock.frozen_time;
}

function assertClockReadyForNew(clockId: string): never {
  throw stateError(`The test clock ${clockId} is advancing; wait until its status is \`ready\` before adding customers to it.`, 'test_clock_advancing');
}

function create(ctx: RequestContext): Customer {
  allowOnly(ctx.params, [...WRITABLE, ...CREATE_ONLY]);
  // A customer on a test clock is created at that clock's time, and so is its customer.created.
  return ctx.core.clock.at(joiningClockTime(ctx.core, ctx.params), () => createNow(ctx));
}

function createNow(ctx: RequestContext): Customer {
  const customer = createCustomerObject(ctx.core, ctx.params);
  // Resolved before anything is stored: an unknown payment method creates no customer.
  const given = optString(ctx.params, 'payment_method');
  const paymentMethod = given !== undefined ? resolvePaymentMethod(ctx.core, given) : undefined;
  if (paymentMethod && paymentMethod.customer !== null) {
    throw invalidRequest('The payment method you provided has already been attached to a customer.', 'payment_method', 'payment_method_unexpected_state');
  }
  const settings = customer['invoice_settings'] as { default_payment_method: string | null };
  // The same test id twice in one request names the one card attached by it (as the CLI's fixtures rely on).
  if (paymentMethod && settings.default_payment_method === given) settings.default_payment_method = paymentMethod.id;
  else if (settings.default_payment_method !== null) throw notAttached(settings.default_payment_method);
  ctx.core.store.insert('customer', customer);
  ctx.emit('customer.created', customer);
  if (paymentMethod) {
    const attached = { ...paymentMethod, customer: customer.id };
    ctx.core.store.put('payment_method', attached);
    ctx.emit('payment_method.attached', attached, { customer: null });
  }
  return customer;
}

function notAttached(paymentMethod: string): StripeApiError {
  return invalidRequest(
    `The customer does not have a payment method with the ID ${paymentMethod}. The payment method must be attached to the customer.`,
    'invoice_settings[default_payment_method]',
    'resource_missing',
  );
}

function retrieve(ctx: RequestContext): StripeObject {
  const id = ctx.pathParams['id']!;
  const found = ctx.core.store.get('customer', id);
  // A deleted customer stays retrievable as a stub.
  if (found?.['deleted'] === true) return found;
  return ctx.core.store.require('customer', id);
}

function update(ctx: RequestContext): Customer {
  allowOnly(ctx.params, [...WRITABLE, ...UPDATE_ONLY]);
  const customer = ctx.core.store.require<Customer>('customer', ctx.pathParams['id']!);
  const before = structuredClone(customer);
  const next = structuredClone(customer);
  applyWritable(next, ctx.params);
  const defaultPm = (next['invoice_settings'] as { default_payment_method: string | null }).default_payment_method;
  const previousPm = (customer['invoice_settings'] as { default_payment_method?: string | null } | undefined)?.default_payment_method ?? null;
  if (defaultPm !== null && defaultPm !== previousPm && ctx.core.store.get<PaymentMethod>('payment_method', defaultPm)?.customer !== customer.id) {
    throw notAttached(defaultPm);
  }
  ctx.core.store.put('customer', next);
  const prev = previousAttributes(before, next);
  if (Object.keys(prev).length > 0) ctx.emit('customer.updated', next, prev);
  return next;
}

function remove(ctx: RequestContext): StripeObject {
  const customer = ctx.core.store.require<Customer>('customer', ctx.pathParams['id']!);
  const stub = { id: customer.id, object: 'customer', deleted: true };
  ctx.core.store.put('customer', stub);
  ctx.emit('customer.deleted', customer);
  return stub;
}

function live(core: SimulatorCore): Customer[] {
  return core.store.all<Customer>('customer').filter((c) => c['deleted'] !== true);
}

function list(ctx: RequestContext): unknown {
  allowOnly(ctx.params, ['created', 'email', 'ending_before', 'limit', 'starting_after', 'test_clock']);
  let items = filterCreated(live(ctx.core), ctx.params);
  const e = optString(ctx.params, 'email');
  if (e !== undefined) items = items.filter((c) => c.email === e);
  const clock = optString(ctx.params, 'test_clock');
  if (clock !== undefined) items = items.filter((c) => c['test_clock'] === clock);
  return paginate(items, ctx.params, '/v1/customers', ctx.core.store.rankOf('customer'));
}

function searchCustomers(ctx: RequestContext): unknown {
  allowOnly(ctx.params, ['query', 'limit', 'page']);
  reqString(ctx.params, 'query');
  return search(live(ctx.core), ctx.params, '/v1/customers/search', ['created', 'email', 'metadata', 'name', 'phone'], ctx.core.searchCutoff());
}

export function registerCustomers(core: SimulatorCore): void {
  const r = core.router;
  r.post('/v1/customers', create);
  r.get('/v1/customers', list);
  r.get('/v1/customers/search', searchCustomers);
  r.get('/v1/customers/:id', retrieve);
  r.post('/v1/customers/:id', update);
  r.delete('/v1/customers/:id', remove);
}
