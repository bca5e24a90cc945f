// Typed access to decoded form parameters, with Stripe's validation messages.
import { asHash, type FormObject, type FormValue } from './form';
import { invalidParam, invalidRequest, missingParam, unknownParam } from './errors';
import type { StripeObject } from './store';

/** Rejects parameters an endpoint does not know, as Stripe does (`parameter_unknown`). */
export function allowOnly(params: FormObject, allowed: readonly string[]): void {
  for (const key of Object.keys(params)) {
    if (key === 'expand') continue;
    if (!allowed.includes(key)) throw unknownParam(key);
  }
}

export function optString(params: FormObject, name: string): string | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw invalidParam(name, `Invalid string: ${describe(v)}`, 'parameter_invalid_string');
  return v;
}

export function reqString(params: FormObject, name: string): string {
  const v = optString(params, name);
  if (v === undefined || v === '') throw missingParam(name);
  return v;
}

/** Nullable text field on update: an empty string unsets it, as Stripe does. */
export function optNullableString(params: FormObject, name: string): string | null | undefined {
  const v = optString(params, name);
  if (v === undefined) return undefined;
  return v === '' ? null : v;
}

export function optInt(params: FormObject, name: string): number | undefined {
  const v = optString(params, name);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw invalidParam(name, `Invalid integer: ${v}`, 'parameter_invalid_integer');
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw invalidParam(name, `This value must be less than or equal to ${Number.MAX_SAFE_INTEGER}.`, 'parameter_invalid_integer');
  return n;
}

export function reqInt(params: FormObject, name: string): number {
  const v = optInt(params, name);
  if (v === undefined) throw missingParam(name);
  return v;
}

export function optBool(params: FormObject, name: string): boolean | undefined {
  const v = optString(params, name);
  if (v === undefined) return undefined;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw invalidParam(name, `Invalid boolean: ${v}`, 'parameter_invalid_boolean');
}

export function optEnum<T extends string>(params: FormObject, name: string, values: readonly T[]): T | undefined {
  const v = optString(params, name);
  if (v === undefined) return undefined;
  if (!(values as readonly string[]).includes(v)) {
    throw invalidParam(name, `Invalid ${name}: must be one of ${values.join(', ')}`, 'parameter_invalid_string');
  }
  return v as T;
}

export function optStringArray(params: FormObject, name: string): string[] | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v === '' ? [] : [v];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw invalidParam(name, `Invalid array`, 'parameter_invalid_array');
  return v as string[];
}

export function optObject(params: FormObject, name: string): FormObject | undefined {
  const given = params[name];
  if (given === undefined || given === '') return undefined;
  const v = asHash(given);
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidParam(name, `Invalid object`, 'parameter_invalid_object');
  return v;
}

export function optArray(params: FormObject, name: string): FormValue[] | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw invalidParam(name, `Invalid array`, 'parameter_invalid_array');
  return v;
}

function describe(v: FormValue): string {
  return Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : v;
}

/**
 * Metadata as Stripe applies it on create and update: keys merge into what is there, an empty
 * value deletes a key, `metadata=` (empty string) clears everything. Limits: 50 keys, keys up
 * to 40 characters, values up to 500.
 */
export function applyMetadata(current: Record<string, string>, params: FormObject): Record<string, string> {
  const given = params['metadata'];
  if (given === undefined) return current;
  if (given === '') return {};
  const raw = asHash(given);
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalidParam('metadata', 'Invalid object', 'parameter_invalid_object');
  const next: Record<string, string> = { ...current };
  for (const [key, value] of Object.entries(raw)) {
    if (/[[\]]/.test(key)) throw invalidRequest(`Metadata keys cannot contain '[' or ']': "${key}".`, `metadata[${key}]`);
    if (typeof value !== 'string') throw invalidParam(`metadata[${key}]`, 'Invalid string: metadata values must be strings', 'parameter_invalid_string');
    if (key.length > 40) throw invalidRequest(`Metadata keys can have up to 40 characters; "${key}" has ${key.length}.`, `metadata[${key}]`);
    if (value.length > 500) throw invalidRequest(`Metadata values can have up to 500 characters, but you passed in a value that is ${value.length} characters.`, `metadata[${key}]`);
    if (value === '') Reflect.deleteProperty(next, key);
    else Object.defineProperty(next, key, { value, enumerable: true, writable: true, configurable: true });
  }
  if (Object.keys(next).length > 50) throw invalidRequest('You can have up to 50 metadata keys.', 'metadata');
  return next;
}

export interface ListResult<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

/**
 * Cursor pagination over a newest-first list, as Stripe's list endpoints do it. A cursor need not
 * be in the filtered list (an object archived between two pages, say): with `rankOf`, the
 * newest-first position of any object of the collection, the page starts next to where the cursor
 * object stands.
 */
export function paginate<T extends StripeObject>(
  items: T[],
  params: FormObject,
  url: string,
  rankOf?: (id: string) => number | undefined,
): ListResult<T> {
  const limit = optInt(params, 'limit') ?? 10;
  if (limit < 1 || limit > 100) throw invalidParam('limit', 'This value must be between 1 and 100.', 'parameter_invalid_integer');
  const startingAfter = optString(params, 'starting_after');
  const endingBefore = optString(params, 'ending_before');
  if (startingAfter !== undefined && endingBefore !== undefined) {
    throw invalidRequest('You may only specify one of these parameters: ending_before, starting_after.', 'ending_before');
  }
  /** Index of the cursor in `items`; when it is not there, the index of the first item older than it. */
  const locate = (cursor: string, param: string): { index: number; present: boolean } => {
    const index = items.findIndex((o) => o.id === cursor);
    if (index >= 0) return { index, present: true };
    const rank = rankOf?.(cursor);
    if (rank === undefined) throw invalidRequest(`No such object: '${cursor}'`, param, 'resource_missing');
    const after = items.findIndex((o) => (rankOf?.(o.id) ?? -1) > rank);
    return { index: after < 0 ? items.length : after, present: false };
  };
  if (endingBefore !== undefined) {
    const { index } = locate(endingBefore, 'ending_before');
    const from = Math.max(0, index - limit);
    return { object: 'list', data: items.slice(from, index), has_more: from > 0, url };
  }
  let start = 0;
  if (startingAfter !== undefined) {
    const { index, present } = locate(startingAfter, 'starting_after');
    start = present ? index + 1 : index;
  }
  return { object: 'list', data: items.slice(start, start + limit), has_more: start + limit < items.length, url };
}

/** `created[gt]=…` style filters (or an exact `created=…`). */
export function filterCreated<T extends StripeObject>(items: T[], params: FormObject, field = 'created'): T[] {
  const raw = params[field];
  if (raw === undefined) return items;
  const value = (o: T): number => o[field] as number;
  if (typeof raw === 'string') {
    const n = optInt(params, field)!;
    return items.filter((o) => value(o) === n);
  }
  if (Array.isArray(raw)) throw invalidParam(field, 'Invalid object', 'parameter_invalid_object');
  const bound = (k: string): number | undefined => optInt(raw, k);
  const gt = bound('gt');
  const gte = bound('gte');
  const lt = bound('lt');
  const lte = bound('lte');
  return items.filter(
    (o) =>
      (gt === undefined || value(o) > gt) &&
      (gte === undefined || value(o) >= gte) &&
      (lt === undefined || value(o) < lt) &&
      (lte === undefined || value(o) <= lte),
  );
}

/**
 * The nested keys an endpoint understands: `true` for a value, an object for a hash, a one-item
 * array for an array of such. Anything else inside is refused as Stripe refuses an unknown key.
 */
export type ParamShape = true | { readonly [key: string]: ParamShape } | readonly [ParamShape];

/** Refuses keys inside `params[name]` that `shape` does not name (`parameter_unknown`, with the bracketed path). */
export function allowNested(params: FormObject, name: string, shape: ParamShape): void {
  const value = params[name];
  if (value !== undefined) checkShape(value, shape, name);
}

function checkShape(value: FormValue, shape: ParamShape, path: string): void {
  if (shape === true || typeof value === 'string') return;
  if (Array.isArray(shape)) {
    if (Array.isArray(value)) value.forEach((item, i) => checkShape(item, shape[0]!, `${path}[${i}]`));
    return;
  }
  const hash = asHash(value);
  if (Array.isArray(hash)) throw invalidParam(path, 'Invalid object', 'parameter_invalid_object');
  const keys = shape as { readonly [key: string]: ParamShape };
  for (const [key, inner] of Object.entries(hash)) {
    const innerShape = Object.hasOwn(keys, key) ? keys[key] : undefined;
    if (innerShape === undefined) throw unknownParam(`${path}[${key}]`);
    checkShape(inner, innerShape, `${path}[${key}]`);
  }
}

export const ADDRESS_SHAPE = { city: true, country: true, line1: true, line2: true, postal_code: true, state: true } as const;
export const SHIPPING_SHAPE = { address: ADDRESS_SHAPE, carrier: true, name: true, phone: true, tracking_number: true } as const;

/** A `shipping` hash as Stripe stores it (name and address line 1 required), or undefined when not given; '' clears it. */
export function optShipping(params: FormObject, name = 'shipping'): Record<string, unknown> | null | undefined {
  if (params[name] === '') return null;
  allowNested(params, name, SHIPPING_SHAPE);
  const given = optObject(params, name);
  if (given === undefined) return undefined;
  const shippingName = optString(given, 'name');
  if (shippingName === undefined || shippingName === '') throw missingParam(`${name}[name]`);
  const address = optObject(given, 'address');
  if (address === undefined) throw missingParam(`${name}[address]`);
  if (optString(address, 'line1') === undefined) throw missingParam(`${name}[address][line1]`);
  const text = (o: FormObject, k: string): string | null => optString(o, k) ?? null;
  return {
    address: Object.fromEntries(Object.keys(ADDRESS_SHAPE).map((k) => [k, text(address, k)])),
    carrier: text(given, 'carrier'),
    name: shippingName,
    phone: text(given, 'phone'),
    tracking_number: text(given, 'tracking_number'),
  };
}
