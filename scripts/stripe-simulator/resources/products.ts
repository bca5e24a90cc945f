// Products: create (with a caller-chosen id), retrieve, update, archive (`active=false`), list,
// search, delete (only without prices).
import type { SimulatorCore } from '../core';
import { StripeApiError, invalidRequest } from '../errors';
import { previousAttributes } from '../events';
import type { FormObject } from '../form';
import { newId } from '../ids';
import { allowOnly, applyMetadata, filterCreated, optBool, optNullableString, optObject, optString, optStringArray, paginate, reqString } from '../params';
import type { RequestContext } from '../router';
import { search } from '../search';
import type { StripeObject } from '../store';
import { createPriceObject, type Price } from './prices';

export interface Product extends StripeObject {
  object: 'product';
  active: boolean;
  created: number;
  updated: number;
  name: string;
  default_price: string | null;
  metadata: Record<string, string>;
}

const WRITABLE = ['active', 'description', 'images', 'marketing_features', 'metadata', 'name', 'shippable', 'statement_descriptor', 'tax_code', 'unit_label', 'url'] as const;

function applyWritable(product: Product, params: FormObject): void {
  const name = optString(params, 'name');
  if (name !== undefined) {
    if (name === '') throw invalidRequest('You passed an empty string for \'name\'. We assume empty values are an attempt to unset a parameter; however \'name\' cannot be unset. You should remove \'name\' from your request or supply a non-empty value.', 'name', 'parameter_invalid_empty');
    product.name = name;
  }
  const active = optBool(params, 'active');
  if (active !== undefined) product.active = active;
  const shippable = optBool(params, 'shippable');
  if (shippable !== undefined) product['shippable'] = shippable;
  for (const field of ['description', 'statement_descriptor', 'tax_code', 'unit_label', 'url'] as const) {
    const v = optNullableString(params, field);
    if (v !== undefined) product[field] = v;
  }
  const images = optStringArray(params, 'images');
  if (images !== undefined) product['images'] = images;
  product.metadata = applyMetadata(product.metadata, params);
}

export function createProductObject(core: SimulatorCore, params: FormObject, id?: string): Product {
  const now = core.clock.nowSeconds();
  const product: Product = {
    id: id ?? newId('prod'),
    object: 'product',
    active: true,
    created: now,
    default_price: null,
    description: null,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: {},
    name: '',
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    unit_label: null,
    updated: now,
    url: null,
  };
  applyWritable(product, params);
  return product;
}

function create(ctx: RequestContext): Product {
  allowOnly(ctx.params, [...WRITABLE, 'id', 'default_price_data']);
  reqString(ctx.params, 'name');
  const id = optString(ctx.params, 'id');
  if (id !== undefined) {
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(id)) throw invalidRequest('Invalid id: only letters, digits, _ and - are allowed.', 'id');
    if (ctx.core.store.get('product', id)) {
      throw new StripeApiError(400, { type: 'invalid_request_error', code: 'resource_already_exists', param: 'id', message: 'Product already exists.' }, { beforeExecution: true });
    }
  }
  const priceData = optObject(ctx.params, 'default_price_data');
  const product = createProductObject(ctx.core, ctx.params, id);
  let price: Price | undefined;
  if (priceData !== undefined) {
    price = createPriceObject(ctx.core, { ...priceData, product: product.id }, product);
    product.default_price = price.id;
  }
  ctx.core.store.insert('product', product);
  ctx.emit('product.created', product);
  if (price) {
    ctx.core.store.insert('price', price);
    ctx.emit('price.created', price);
  }
  return product;
}

function retrieve(ctx: RequestContext): StripeObject {
  return ctx.core.store.require('product', ctx.pathParams['id']!);
}

function update(ctx: RequestContext): Product {
  allowOnly(ctx.params, [...WRITABLE, 'default_price']);
  const product = ctx.core.store.require<Product>('product', ctx.pathParams['id']!);
  const next = structuredClone(product);
  applyWritable(next, ctx.params);
  const defaultPrice = optNullableString(ctx.params, 'default_price');
  if (defaultPrice !== undefined) {
    if (defaultPrice !== null) {
      const price = ctx.core.store.require<Price>('price', defaultPrice, 'default_price');
      if (price.product !== product.id) throw invalidRequest(`The price ${defaultPrice} does not belong to product ${product.id}.`, 'default_price');
    }
    next.default_price = defaultPrice;
  }
  const prev = previousAttributes(product, next);
  if (Object.keys(prev).length > 0) {
    next.updated = ctx.core.clock.nowSeconds();
    ctx.core.store.put('product', next);
    ctx.emit('product.updated', next, previousAttributes(product, next));
  }
  return next;
}

function remove(ctx: RequestContext): StripeObject {
  const product = ctx.core.store.require<Product>('product', ctx.pathParams['id']!);
  if (ctx.core.store.all<Price>('price').some((p) => p.product === product.id)) {
    throw invalidRequest('This product cannot be deleted because it has one or more user-created prices.', undefined, 'product_has_prices');
  }
  ctx.core.store.remove('product', product.id);
  ctx.emit('product.deleted', product);
  return { id: product.id, object: 'product', deleted: true };
}

function list(ctx: RequestContext): unknown {
  allowOnly(ctx.params, ['active', 'created', 'ending_before', 'ids', 'limit', 'shippable', 'starting_after', 'url']);
  let items = filterCreated(ctx.core.store.all<Product>('product'), ctx.params);
  const active = optBool(ctx.params, 'active');
  if (active !== undefined) items = items.filter((p) => p.active === active);
  const ids = optStringArray(ctx.params, 'ids');
  if (ids !== undefined) items = items.filter((p) => ids.includes(p.id));
  const shippable = optBool(ctx.params, 'shippable');
  if (shippable !== undefined) items = items.filter((p) => p['shippable'] === shippable);
  const url = optString(ctx.params, 'url');
  if (url !== undefined) items = items.filter((p) => p['url'] === url);
  return paginate(items, ctx.params, '/v1/products', ctx.core.store.rankOf('product'));
}

function searchProducts(ctx: RequestContext): unknown {
  allowOnly(ctx.params, ['query', 'limit', 'page']);
  return search(ctx.core.store.all<Product>('product'), ctx.params, '/v1/products/search', ['active', 'created', 'description', 'metadata', 'name', 'shippable', 'url'], ctx.core.searchCutoff());
}

export function registerProducts(core: SimulatorCore): void {
  const r = core.router;
  r.post('/v1/products', create);
  r.get('/v1/products', list);
  r.get('/v1/products/search', searchProducts);
  r.get('/v1/products/:id', retrieve);
  r.post('/v1/products/:id', update);
  r.delete('/v1/products/:id', remove);
}
