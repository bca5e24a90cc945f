// `expand[]`: replaces ids with the objects they name, along dotted paths (`latest_charge`,
// `data.customer` on lists, `payment_intent.latest_charge`).
import { invalidRequest } from './errors';
import type { Store, StripeObject } from './store';

const MAX_DEPTH = 4;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function expandOne(target: Json, parts: string[], store: Store, full: string): void {
  const [head, ...rest] = parts;
  if (head === undefined) return;
  if ((target['object'] === 'list' || target['object'] === 'search_result') && head === 'data' && Array.isArray(target['data'])) {
    for (const item of target['data']) if (isObject(item)) expandOne(item, rest, store, full);
    return;
  }
  if (!(head in target)) throw invalidRequest(`This property cannot be expanded (${full}).`, 'expand');
  let value = target[head];
  if (typeof value === 'string') {
    const found = store.findAnyById(value);
    if (!found) {
      if (/^[a-z]+(_[a-z]+)?_[A-Za-z0-9]+$/.test(value)) return;
      throw invalidRequest(`This property cannot be expanded (${full}).`, 'expand');
    }
    value = structuredClone(found) as StripeObject;
    target[head] = value;
  }
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    // Arrays of ids (e.g. `discounts`) expand element by element.
    target[head] = value.map((v) => (typeof v === 'string' ? (structuredClone(store.findAnyById(v)) ?? v) : v));
    for (const item of target[head] as unknown[]) if (isObject(item) && rest.length > 0) expandOne(item, rest, store, full);
    return;
  }
  if (!isObject(value)) throw invalidRequest(`This property cannot be expanded (${full}).`, 'expand');
  if (rest.length > 0) expandOne(value, rest, store, full);
}

export function applyExpand(body: unknown, paths: string[], store: Store): unknown {
  if (paths.length === 0 || !isObject(body)) return body;
  const copy = structuredClone(body);
  for (const path of paths) {
    const parts = path.split('.');
    if (parts.length > MAX_DEPTH) {
      throw invalidRequest(`You cannot expand more than ${MAX_DEPTH} levels of a property. Property: ${path}`, 'expand');
    }
    expandOne(copy, parts, store, path);
  }
  return copy;
}
