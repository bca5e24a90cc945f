// Prices: create (one-time or recurring, `lookup_key` with `transfer_lookup_key`), retrieve,
// update, archive (`active=false`), list (`lookup_keys[]`, `active`, `product`, `type`), search.
import { parseCurrency, parseUnitAmount } from '../amounts';
import type { SimulatorCore } from '../core';
import { invalidRequest, missingParam } from '../errors';
import { previousAttributes } from '../events';
import type { FormObject } from '../form';
import { newId } from '../ids';
import { allowOnly, applyMetadata, filterCreated, optBool, optEnum, optInt, optNullableString, optObject, optString, optStringArray, paginate } from '../params';
import type { RequestContext } from '../router';
import { search } from '../search';
import type { StripeObject } from '../store';
import { createProductObject, type Product } from './products';

/** `trial_period_days` on a price is deprecated in Stripe (set trials on the subscription), so it is not kept. */
export interface Recurring {
  interval: 'day' | 'week' | 'month' | 'year';
  interval_count: number;
  meter: null;
  usage_type: 'licensed' | 'metered';
}

export interface Price extends StripeObject {
  object: 'price';
  active: boolean;
  created: number;
  currency: string;
  lookup_key: string | null;
  metadata: Record<string, string>;
  product: string;
  recurring: Recurring | null;
  type: 'one_time' | 'recurring';
  unit_amount: number | null;
  unit_amount_decimal: string | null;
}

const INTERVALS = ['day', 'week', 'month', 'year'] as const;
/** Stripe caps a billing period at one year (or 3 years for some intervals); one year here. */
const MAX_INTERVAL_COUNT: Record<Recurring['interval'], number> = { day: 365, week: 52, month: 12, year: 1 };

function parseRecurring(params: FormObject): Recurring | null {
  const recurring = optObject(params, 'recurring');
  if (recurring === undefined) return null;
  const interval = optEnum(recurring, 'interval', INTERVALS);
  if (interval === undefined) throw missingParam('recurring[interval]');
  const count = optInt(recurring, 'interval_count') ?? 1;
  if (count < 1 || count > MAX_INTERVAL_COUNT[interval]) {
    throw invalidRequest(`Invalid recurring[interval_count]: the maximum billing period is one year.`, 'recurring[interval_count]');
  }
  const usage = optEnum(recurring, 'usage_type', ['licensed', 'metered'] as const) ?? 'licensed';
  return { interval, interval_count: count, meter: null, usage_type: usage };
}

/** Builds a price from create parameters; the caller inserts it (and the product it may create). */
export function createPriceObject(core: SimulatorCore, params: FormObject, product?: Product): Price {
  const currency = parseCurrency(params);
  const unitAmountDecimal = optString(params, 'unit_amount_decimal');
  let unitAmount = parseUnitAmount(params);
  if (unitAmount === undefined && unitAmountDecimal !== undefined) {
    if (!/^\d+(\.\d{1,12})?$/.test(unitAmountDecimal)) throw invalidRequest(`Invalid decimal: ${unitAmountDecimal}`, 'unit_amount_decimal');
    unitAmount = Number.isInteger(Number(unitAmountDecimal)) ? Number(unitAmountDecimal) : undefined;
  }
  const customUnitAmount = optObject(params, 'custom_unit_amount');
  if (unitAmount === undefined && unitAmountDecimal === undefined && customUnitAmount === undefined) {
    throw missingParam('unit_amount');
  }
  const productId = product?.id ?? optString(params, 'product');
  if (productId === undefined) throw invalidRequest('You must specify either `product` or `product_data` when creating a price.', 'product');
  const recurring = parseRecurring(params);
  return {
    id: newId('price'),
    object: 'price',
    active: optBool(params, 'active') ?? true,
    billing_scheme: 'per_unit',
    created: core.clock.nowSeconds(),
    currency,
    custom_unit_amount: customUnitAmount
      ? { maximum: optInt(customUnitAmount, 'maximum') ?? null, minimum: optInt(customUnitAmount, 'minimum') ?? null, preset: optInt(customUnitAmount, 'preset') ?? null }
      : null,
    livemode: false,
    lookup_key: optString(params, 'lookup_key') ?? null,
    metadata: applyMetadata({}, params),
    nickname: optString(params, 'nickname') ?? null,
    product: productId,
    recurring,
    tax_behavior: optEnum(params, 'tax_behavior', ['exclusive', 'inclusive', 'unspecified'] as const) ?? 'unspecified',
    tiers_mode: null,
    transform_quantity: null,
    type: recurring ? 'recurring' : 'one_time',
    unit_amount: customUnitAmount ? null : (unitAmount ?? null),
    unit_amount_decimal: customUnitAmount ? null : (unitAmountDecimal ?? (unitAmount !== undefined ? String(unitAmount) : null)),
  };
}

/**
 * A lookup key names one price at a time. With `transfer_lookup_key=true` the key moves to the
 * new price (the old one loses it, with a `price.updated` event); otherwise reuse is refused.
 */
function claimLookupKey(ctx: RequestContext, key: string | null, transfer: boolean, exceptId?: string): void {
  if (key === null) return;
  const holder = ctx.core.store.all<Price>('price').find((p) => p.lookup_key === key && p.id !== exceptId);
  if (!holder) return;
  if (!transfer) {
    throw invalidRequest(
      `A price (\`${holder.id}\`) already uses that lookup key. Use \`transfer_lookup_key\` to move it to this price.`,
      'lookup_key',
      'lookup_key_already_in_use',
    );
  }
  const next = { ...holder, lookup_key: null };
  ctx.core.store.put('price', next);
  ctx.emit('price.updated', next, { lookup_key: key });
}

const CREATE_PARAMS = [
  'active', 'billing_scheme', 'currency', 'custom_unit_amount', 'lookup_key', 'metadata', 'nickname', 'product', 'product_data',
  'recurring', 'tax_behavior', 'transfer_lookup_key', 'unit_amount', 'unit_amount_decimal',
];

function create(ctx: RequestContext): Price {
  allowOnly(ctx.params, CREATE_PARAMS);
  const productData = optObject(ctx.params, 'product_data');
  const productId = optString(ctx.params, 'product');
  if (productData !== undefined && productId !== undefined) {
    throw invalidRequest('You may only specify one of these parameters: product, product_data.', 'product');
  }
  let newProduct: Product | undefined;
  if (productData !== undefined) {
    if (optString(productData, 'name') === undefined) throw missingParam('product_data[name]');
    newProduct = createProductObject(ctx.core, productData, optString(productData, 'id'));
  } else if (productId !== undefined) {
    ctx.core.store.require('product', productId, 'product');
  }
  const price = createPriceObject(ctx.core, ctx.params, newProduct);
  claimLookupKey(ctx, price.lookup_key, optBool(ctx.params, 'transfer_lookup_key') ?? false);
  if (newProduct) {
    ctx.core.store.insert('product', newProduct);
    ctx.emit('product.created', newProduct);
  }
  ctx.core.store.insert('price', price);
  ctx.emit('price.created', price);
  return price;
}

function retrieve(ctx: RequestContext): StripeObject {
  return ctx.core.store.require('price', ctx.pathParams['id']!);
}

function update(ctx: RequestContext): Price {
  allowOnly(ctx.params, ['active', 'lookup_key', 'metadata', 'nickname', 'tax_behavior', 'transfer_lookup_key']);
  const price = ctx.core.store.require<Price>('price', ctx.pathParams['id']!);
  const next = structuredClone(price);
  const active = optBool(ctx.params, 'active');
  if (active !== undefined) next.active = active;
  const nickname = optNullableString(ctx.params, 'nickname');
  if (nickname !== undefined) next['nickname'] = nickname;
  const taxBehavior = optEnum(ctx.params, 'tax_behavior', ['exclusive', 'inclusive', 'unspecified'] as const);
  if (taxBehavior !== undefined) next['tax_behavior'] = taxBehavior;
  next.metadata = applyMetadata(next.metadata, ctx.params);
  const lookupKey = optNullableString(ctx.params, 'lookup_key');
  if (lookupKey !== undefined) {
    claimLookupKey(ctx, lookupKey, optBool(ctx.params, 'transfer_lookup_key') ?? false, price.id);
    next.lookup_key = lookupKey;
  }
  const prev = previousAttributes(price, next);
  if (Object.keys(prev).length > 0) {
    ctx.core.store.put('price', next);
    ctx.emit('price.updated', next, prev);
  }
  return next;
}

function list(ctx: RequestContext): unknown {
  allowOnly(ctx.params, ['active', 'created', 'currency', 'ending_before', 'limit', 'lookup_keys', 'product', 'recurring', 'starting_after', 'type']);
  let items = filterCreated(ctx.core.store.all<Price>('price'), ctx.params);
  const active = optBool(ctx.params, 'active');
  if (active !== undefined) items = items.filter((p) => p.active === active);
  const currency = optString(ctx.params, 'currency');
  if (currency !== undefined) items = items.filter((p) => p.currency === currency.toLowerCase());
  const product = optString(ctx.params, 'product');
  if (product !== undefined) items = items.filter((p) => p.product === product);
  const type = optEnum(ctx.params, 'type', ['one_time', 'recurring'] as const);
  if (type !== undefined) items = items.filter((p) => p.type === type);
  const lookupKeys = optStringArray(ctx.params, 'lookup_keys');
  if (lookupKeys !== undefined) {
    if (lookupKeys.length > 10) throw invalidRequest('You may pass at most 10 lookup keys.', 'lookup_keys');
    items = items.filter((p) => p.lookup_key !== null && lookupKeys.includes(p.lookup_key));
  }
  const recurring = optObject(ctx.params, 'recurring');
  if (recurring !== undefined) {
    const interval = optString(recurring, 'interval');
    if (interval !== undefined) items = items.filter((p) => p.recurring?.interval === interval);
  }
  return paginate(items, ctx.params, '/v1/prices', ctx.core.store.rankOf('price'));
}

function searchPrices(ctx: RequestContext): unknown {
  allowOnly(ctx.params, ['query', 'limit', 'page']);
  return search(ctx.core.store.all<Price>('price'), ctx.params, '/v1/prices/search', ['active', 'currency', 'lookup_key', 'metadata', 'product', 'type', 'created'], ctx.core.searchCutoff());
}

export function registerPrices(core: SimulatorCore): void {
  const r = core.router;
  r.post('/v1/prices', create);
  r.get('/v1/prices', list);
  r.get('/v1/prices/search', searchPrices);
  r.get('/v1/prices/:id', retrieve);
  r.post('/v1/prices/:id', update);
}
