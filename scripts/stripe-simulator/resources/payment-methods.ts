// Card PaymentMethods: the magic test ids (`pm_card_visa`…) resolve to a stored PaymentMethod,
// as in Stripe where each use of a test id creates a new `pm_…`. Create (from a test token),
// retrieve, attach, detach, list a customer's.
import type { SimulatorCore } from '../core';
import { invalidRequest, missingParam, resourceMissing } from '../errors';
import { newId, randomString } from '../ids';
import { ADDRESS_SHAPE, allowNested, allowOnly, applyMetadata, optEnum, optObject, optString, paginate, reqString } from '../params';
import type { FormObject } from '../form';
import type { RequestContext } from '../router';
import type { StripeObject } from '../store';
import { TEST_PAYMENT_METHODS, TEST_TOKENS, type TestCard } from '../test-cards';

export interface PaymentMethod extends StripeObject {
  object: 'payment_method';
  customer: string | null;
  type: 'card';
  card: Record<string, unknown> & { brand: string; last4: string };
  created: number;
}

/** Which test card a stored PaymentMethod stands for (kept outside the wire object). */
export function testCardOf(core: SimulatorCore, pm: PaymentMethod): TestCard {
  const magic = core.store.get<StripeObject & { card_name: string }>('payment_method_source', `source_of_${pm.id}`)?.card_name;
  return TEST_PAYMENT_METHODS[magic ?? 'pm_card_visa'] ?? TEST_PAYMENT_METHODS['pm_card_visa']!;
}

function buildPaymentMethod(core: SimulatorCore, magic: string, card: TestCard, billing?: Record<string, unknown>): PaymentMethod {
  const pm: PaymentMethod = {
    id: newId('pm'),
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: {
      address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
      email: null,
      name: null,
      phone: null,
      tax_id: null,
      ...billing,
    },
    card: {
      brand: card.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'unchecked' },
      country: card.country,
      display_brand: card.brand,
      exp_month: 12,
      exp_year: new Date(core.clock.nowMs()).getUTCFullYear() + 3,
      fingerprint: randomString(16),
      funding: card.funding,
      generated_from: null,
      last4: card.last4,
      networks: { available: [card.brand], preferred: null },
      regulated_status: 'unregulated',
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    created: core.clock.nowSeconds(),
    customer: null,
    livemode: false,
    metadata: {},
    type: 'card',
  };
  core.store.insert('payment_method', pm);
  core.store.insert('payment_method_source', { id: `source_of_${pm.id}`, object: 'payment_method_source', card_name: magic });
  return pm;
}

/** Turns a `payment_method` parameter (magic test id or stored id) into a stored PaymentMethod. */
export function resolvePaymentMethod(core: SimulatorCore, value: string, param = 'payment_method'): PaymentMethod {
  const magic = TEST_PAYMENT_METHODS[value];
  if (magic) return buildPaymentMethod(core, value, magic);
  const stored = core.store.get<PaymentMethod>('payment_method', value);
  if (!stored) throw resourceMissing('PaymentMethod', value, param);
  return stored;
}

/** A PaymentMethod for a card typed on a hosted page. */
export function paymentMethodForCard(core: SimulatorCore, magic: string, billing?: Record<string, unknown>): PaymentMethod {
  const card = TEST_PAYMENT_METHODS[magic];
  if (!card) throw invalidRequest(`Unknown test card ${magic}`);
  return buildPaymentMethod(core, magic, card, billing);
}

/** A card PaymentMethod from `type=card&card[token]=tok_…` (the create call's fields, or `payment_method_data`'s under `param`). */
export function createCardPaymentMethod(core: SimulatorCore, params: FormObject, param?: string): PaymentMethod {
  const at = (name: string): string => {
    if (param === undefined) return name;
    const [head, ...rest] = name.split('[');
    return `${param}[${head}]${rest.map((r) => `[${r}`).join('')}`;
  };
  const type = optString(params, 'type');
  if (type === undefined || type === '') throw missingParam(at('type'));
  if (type !== 'card') throw invalidRequest(`The simulator only supports type=card, not ${type}.`, at('type'));
  const card = optObject(params, 'card');
  if (!card) throw missingParam(at('card'));
  const token = optString(card, 'token');
  if (token === undefined) throw invalidRequest('Pass card[token] with a test token such as tok_visa; raw card numbers are not accepted.', at('card[token]'));
  const magic = TEST_TOKENS[token];
  if (!magic) throw resourceMissing('token', token, at('card[token]'));
  const billing = optObject(params, 'billing_details');
  const pm = buildPaymentMethod(core, magic, TEST_PAYMENT_METHODS[magic]!, billing ? { ...billing } : undefined);
  pm.metadata = applyMetadata({}, params);
  const redisplay = optEnum(params, 'allow_redisplay', ['always', 'limited', 'unspecified'] as const);
  if (redisplay !== undefined) pm['allow_redisplay'] = redisplay;
  core.store.put('payment_method', pm);
  return pm;
}

function create(ctx: RequestContext): PaymentMethod {
  allowOnly(ctx.params, ['type', 'card', 'billing_details', 'metadata', 'allow_redisplay']);
  allowNested(ctx.params, 'card', { token: true });
  allowNested(ctx.params, 'billing_details', { address: ADDRESS_SHAPE, email: true, name: true, phone: true });
  return createCardPaymentMethod(ctx.core, ctx.params);
}

function retrieve(ctx: RequestContext): StripeObject {
  const id = ctx.pathParams['id']!;
  if (TEST_PAYMENT_METHODS[id]) return resolvePaymentMethod(ctx.core, id);
  return ctx.core.store.require('payment_method', id);
}

function attach(ctx: RequestContext): PaymentMethod {
  allowOnly(ctx.params, ['customer']);
  const customer = reqString(ctx.params, 'customer');
  ctx.core.store.require('customer', customer, 'customer');
  const pm = resolvePaymentMethod(ctx.core, ctx.pathParams['id']!, 'id');
  if (pm.customer !== null && pm.customer !== customer) {
    throw invalidRequest('The payment method you provided has already been attached to a customer.', undefined, 'payment_method_unexpected_state');
  }
  const next = { ...pm, customer };
  ctx.core.store.put('payment_method', next);
  ctx.emit('payment_method.attached', next, { customer: pm.customer });
  return next;
}

function detach(ctx: RequestContext): PaymentMethod {
  const pm = ctx.core.store.require<PaymentMethod>('payment_method', ctx.pathParams['id']!);
  if (pm.customer === null) throw invalidRequest('The payment method you provided is not attached to a customer so detachment is impossible.', undefined, 'payment_method_unexpected_state');
  const next = { ...pm, customer: null };
  ctx.core.store.put('payment_method', next);
  ctx.emit('payment_method.detached', next, { customer: pm.customer });
  return next;
}

function listForCustomer(ctx: RequestContext): unknown {
  allowOnly(ctx.params, ['type', 'limit', 'starting_after', 'ending_before', 'allow_redisplay']);
  const customer = ctx.pathParams['id']!;
  ctx.core.store.require('customer', customer);
  const redisplay = optString(ctx.params, 'allow_redisplay');
  const items = ctx.core.store
    .all<PaymentMethod>('payment_method')
    .filter((pm) => pm.customer === customer && ofType(ctx.params, pm) && (redisplay === undefined || pm['allow_redisplay'] === redisplay));
  return paginate(items, ctx.params, `/v1/customers/${customer}/payment_methods`);
}

function list(ctx: RequestContext): unknown {
  allowOnly(ctx.params, ['customer', 'type', 'limit', 'starting_after', 'ending_before']);
  const customer = optString(ctx.params, 'customer');
  const items = ctx.core.store.all<PaymentMethod>('payment_method').filter((pm) => (customer === undefined || pm.customer === customer) && ofType(ctx.params, pm));
  return paginate(items, ctx.params, '/v1/payment_methods');
}

/** The `type` filter of the lists: every payment method here is a card, so another type lists none. */
function ofType(params: FormObject, pm: PaymentMethod): boolean {
  const type = optString(params, 'type');
  return type === undefined || pm.type === type;
}

export function registerPaymentMethods(core: SimulatorCore): void {
  const r = core.router;
  r.post('/v1/payment_methods', create);
  r.get('/v1/payment_methods', list);
  r.get('/v1/payment_methods/:id', retrieve);
  r.post('/v1/payment_methods/:id/attach', attach);
  r.post('/v1/payment_methods/:id/detach', detach);
  r.get('/v1/customers/:id/payment_methods', listForCustomer);
}
