// Stripe's wire format: application/x-www-form-urlencoded with bracketed keys (`a[b][c]`,
// `a[0][b]`, `a[]`). The SDK sends arrays indexed (`expand[0]`), curl users send `expand[]`;
// both decode to arrays here.

export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

function splitKey(key: string): string[] {
  const first = key.indexOf('[');
  if (first <= 0) return [key];
  const parts = [key.slice(0, first)];
  const re = /\[([^\]]*)\]/g;
  let match: RegExpExecArray | null;
  re.lastIndex = first;
  while ((match = re.exec(key)) !== null) parts.push(match[1]!);
  return parts;
}

type Mutable = { [key: string]: Mutable | string };

/** Keys come from the client: `__proto__` must be data, never the prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function toArrays(value: Mutable | string): FormValue {
  if (typeof value === 'string') return value;
  const keys = Object.keys(value);
  const converted: FormObject = {};
  for (const k of keys) setOwn(converted, k, toArrays(value[k]!));
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k) || k.startsWith('\u0000'))) {
    const array = keys
      .map((k) => ({ k, n: k.startsWith('\u0000') ? Number(k.slice(1)) : Number(k) }))
      .sort((a, b) => a.n - b.n)
      .map(({ k }) => converted[k]!);
    // The same wire form is a hash with digit keys where Stripe expects a hash (`metadata[0]=a`).
    FORM_HASHES.set(array, converted);
    return array;
  }
  return converted;
}

const FORM_HASHES = new WeakMap<FormValue[], FormObject>();

/**
 * A value read where Stripe expects a hash: one whose keys were all digits arrived as an array, and
 * is a hash again here (with its keys as sent); anything else is returned as it is.
 */
export function asHash(value: FormValue): FormValue {
  return Array.isArray(value) ? (FORM_HASHES.get(value) ?? value) : value;
}

export function parseForm(input: string): FormObject {
  const root: Mutable = {};
  if (input.length === 0) return root as FormObject;
  let pushCounter = 0;
  for (const [rawKey, value] of new URLSearchParams(input)) {
    const parts = splitKey(rawKey);
    let node: Mutable = root;
    for (let i = 0; i < parts.length; i++) {
      let part = parts[i]!;
      // `a[]` appends: give each occurrence its own ordered slot.
      if (part === '' && i > 0) part = `\u0000${pushCounter++}`;
      if (i === parts.length - 1) {
        setOwn(node, part, value);
      } else {
        const next = Object.hasOwn(node, part) ? node[part] : undefined;
        if (next === undefined || typeof next === 'string') {
          const created: Mutable = {};
          setOwn(node, part, created);
          node = created;
        } else {
          node = next;
        }
      }
    }
  }
  return toArrays(root) as FormObject;
}

/** Canonical form of parameters, used to compare idempotent requests. */
export function canonical(value: FormValue | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  return `{${Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
    .join(',')}}`;
}
