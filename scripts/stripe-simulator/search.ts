// Stripe's search query language, the subset used for customers, payment intents, charges,
// products, prices, subscriptions and invoices: `field:'value'` (exact), `field~'value'`
// (substring), `-field:'value'` (negation), `metadata['key']:'value'`, numeric comparisons
// `created>1700000000`, `field:null`, clauses joined by AND or OR (not both).
import type { FormObject } from './form';
import { invalidRequest } from './errors';
import { optInt, optString, reqString } from './params';
import type { StripeObject } from './store';

interface Clause {
  negate: boolean;
  field: string;
  metadataKey?: string;
  op: ':' | '~' | '>' | '<' | '>=' | '<=';
  value: string | number | null;
}

const CLAUSE =
  /^\s*(-?)([a-z_][a-z_.]*)(?:\[\s*(?:'([^']*)'|"([^"]*)")\s*\])?\s*(>=|<=|:|~|>|<)\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(-?\d+(?:\.\d+)?)|(null))\s*/;

export function parseQuery(query: string): { clauses: Clause[]; joiner: 'AND' | 'OR' } {
  const clauses: Clause[] = [];
  let rest = query;
  let joiner: 'AND' | 'OR' | undefined;
  while (rest.trim().length > 0) {
    const m = CLAUSE.exec(rest);
    if (!m) throw invalidRequest(`Invalid query: could not parse '${rest.trim()}'.`, 'query');
    const [, negate, field, mk1, mk2, op, sq, dq, num, nul] = m;
    const value = sq !== undefined ? sq.replace(/\\(.)/g, '$1') : dq !== undefined ? dq.replace(/\\(.)/g, '$1') : num !== undefined ? Number(num) : nul !== undefined ? null : '';
    const metadataKey = mk1 ?? mk2;
    clauses.push({ negate: negate === '-', field: field!, ...(metadataKey !== undefined ? { metadataKey } : {}), op: op as Clause['op'], value });
    rest = rest.slice(m[0].length);
    const j = /^(AND|OR)\s+/.exec(rest);
    if (j) {
      if (joiner !== undefined && joiner !== j[1]) throw invalidRequest('Invalid query: AND and OR cannot be combined in one query.', 'query');
      joiner = j[1] as 'AND' | 'OR';
      rest = rest.slice(j[0].length);
      if (rest.trim().length === 0) throw invalidRequest('Invalid query: dangling operator.', 'query');
    } else if (rest.trim().length > 0) {
      throw invalidRequest(`Invalid query: expected AND or OR before '${rest.trim()}'.`, 'query');
    }
  }
  if (clauses.length === 0) throw invalidRequest('Invalid query: the query is empty.', 'query');
  if (clauses.length > 10) throw invalidRequest('Invalid query: at most 10 clauses are allowed.', 'query');
  return { clauses, joiner: joiner ?? 'AND' };
}

function fieldValue(obj: StripeObject, clause: Clause): unknown {
  if (clause.field === 'metadata') {
    const metadata = obj['metadata'] as Record<string, string> | undefined;
    return clause.metadataKey !== undefined ? metadata?.[clause.metadataKey] ?? null : null;
  }
  let value: unknown = obj;
  for (const part of clause.field.split('.')) {
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[part] : undefined;
  }
  // Expanded references compare by id.
  if (typeof value === 'object' && value !== null && 'id' in value) return (value as { id: unknown }).id;
  return value ?? null;
}

function matches(obj: StripeObject, clause: Clause, allowed: readonly string[]): boolean {
  if (!allowed.includes(clause.field)) throw invalidRequest(`Field '${clause.field}' is an unsupported search field for this resource.`, 'query');
  const actual = fieldValue(obj, clause);
  let result: boolean;
  switch (clause.op) {
    case ':':
      result = clause.value === null ? actual === null : typeof clause.value === 'number' ? actual === clause.value : String(actual) === clause.value;
      if (typeof clause.value === 'string' && clause.field === 'email' && typeof actual === 'string') {
        result = actual.toLowerCase() === clause.value.toLowerCase();
      }
      break;
    case '~':
      if (typeof clause.value !== 'string' || clause.value.length < 3) {
        throw invalidRequest('Invalid query: substring matching requires at least 3 characters.', 'query');
      }
      result = typeof actual === 'string' && actual.toLowerCase().includes(clause.value.toLowerCase());
      break;
    default: {
      const a = Number(actual);
      const b = Number(clause.value);
      result =
        clause.op === '>' ? a > b : clause.op === '<' ? a < b : clause.op === '>=' ? a >= b : a <= b;
    }
  }
  return clause.negate ? !result : result;
}

export interface SearchResult<T> {
  object: 'search_result';
  data: T[];
  has_more: boolean;
  next_page: string | null;
  url: string;
}

/** Runs a search over newest-first items, with `limit` and the opaque `page` cursor. */
export function search<T extends StripeObject>(
  items: T[],
  params: FormObject,
  url: string,
  fields: readonly string[],
  /** Only objects created at or before this time (seconds) are indexed yet. */
  indexedUntil?: number,
): SearchResult<T> {
  const { clauses, joiner } = parseQuery(reqString(params, 'query'));
  const limit = optInt(params, 'limit') ?? 10;
  if (limit < 1 || limit > 100) throw invalidRequest('This value must be between 1 and 100.', 'limit');
  const page = optString(params, 'page');
  let offset = 0;
  if (page !== undefined) {
    const decoded = Number(Buffer.from(page, 'base64url').toString('utf8'));
    if (!Number.isInteger(decoded) || decoded < 0) throw invalidRequest('Invalid page token.', 'page');
    offset = decoded;
  }
  const indexed = indexedUntil === undefined ? items : items.filter((o) => typeof o['created'] !== 'number' || o['created'] <= indexedUntil);
  const hits = indexed.filter((o) =>
    joiner === 'AND' ? clauses.every((c) => matches(o, c, fields)) : clauses.some((c) => matches(o, c, fields)),
  );
  const data = hits.slice(offset, offset + limit);
  const hasMore = offset + limit < hits.length;
  return {
    object: 'search_result',
    data,
    has_more: hasMore,
    next_page: hasMore ? Buffer.from(String(offset + limit)).toString('base64url') : null,
    url,
  };
}
