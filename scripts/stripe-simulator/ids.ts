import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomString(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  // 62 does not divide 256; the tiny bias is irrelevant for test identifiers.
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

/** Stripe-shaped identifier, e.g. `cus_` + 14 characters or `pi_` + 24 characters. */
export function newId(prefix: string): string {
  const length = prefix === 'cus' || prefix === 'prod' ? 14 : 24;
  return `${prefix}_${randomString(length)}`;
}

export function newRequestId(): string {
  return `req_${randomString(14)}`;
}
