// Amount rules as Stripe applies them to charges: integers in the currency's minor unit, a
// per-currency minimum, at most 8 digits, zero-decimal and three-decimal currencies.
import type { FormObject } from './form';
import { invalidParam, invalidRequest, missingParam } from './errors';
import { optString } from './params';

/** Currencies without a minor unit: amounts are whole units (¥500 is `500`). */
export const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);

/** Three-decimal currencies: amounts must still be a multiple of 10 for card payments. */
export const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

/** Minimum charge amount in the currency's smallest unit (Stripe's published minimums). */
export const MINIMUM_CHARGE: Record<string, number> = {
  usd: 50, aed: 200, aud: 50, bgn: 100, brl: 50, cad: 50, chf: 50, czk: 1500, dkk: 250, eur: 50, gbp: 30,
  hkd: 400, huf: 17500, inr: 50, jpy: 50, mxn: 1000, myr: 200, nok: 300, nzd: 50, pln: 200, ron: 200,
  sek: 300, sgd: 50, thb: 1000, krw: 100, clp: 1, vnd: 1, bhd: 500, jod: 500, kwd: 500, omr: 500, tnd: 500,
};

/** A broad set of ISO 4217 codes Stripe settles in; others are refused as unsupported. */
const SUPPORTED = new Set([
  ...Object.keys(MINIMUM_CHARGE), ...ZERO_DECIMAL, ...THREE_DECIMAL,
  'afn', 'all', 'amd', 'ang', 'aoa', 'ars', 'awg', 'azn', 'bam', 'bbd', 'bdt', 'bmd', 'bnd', 'bob', 'bsd', 'bwp', 'byn',
  'bzd', 'cdf', 'cny', 'cop', 'crc', 'cve', 'dop', 'dzd', 'egp', 'etb', 'fjd', 'fkp', 'gel', 'gip', 'gmd', 'gtq', 'gyd',
  'hnl', 'htg', 'idr', 'ils', 'isk', 'jmd', 'kes', 'kgs', 'khr', 'kyd', 'kzt', 'lak', 'lbp', 'lkr', 'lrd', 'lsl', 'mad',
  'mdl', 'mkd', 'mmk', 'mnt', 'mop', 'mur', 'mvr', 'mwk', 'mzn', 'nad', 'ngn', 'nio', 'npr', 'pab', 'pen', 'pgk', 'php',
  'pkr', 'qar', 'rsd', 'rub', 'sar', 'sbd', 'scr', 'shp', 'sle', 'sos', 'srd', 'szl', 'tjs', 'top', 'try', 'ttd', 'twd',
  'tzs', 'uah', 'uyu', 'uzs', 'wst', 'xcd', 'yer', 'zar', 'zmw',
]);

/** Eight digits: Stripe's ceiling for an amount in the smallest unit. */
export const MAX_AMOUNT = 99_999_999;

export function parseCurrency(params: FormObject, name = 'currency'): string {
  const raw = optString(params, name);
  if (raw === undefined || raw === '') throw missingParam(name);
  // Stripe accepts any case and answers in lowercase.
  const currency = raw.toLowerCase();
  if (!SUPPORTED.has(currency)) {
    throw invalidRequest(`Invalid currency: ${raw}. Stripe currently supports these currencies: ${[...SUPPORTED].sort().join(', ')}`, name);
  }
  return currency;
}

export function formatAmount(amount: number, currency: string): string {
  const decimals = ZERO_DECIMAL.has(currency) ? 0 : THREE_DECIMAL.has(currency) ? 3 : 2;
  const value = (amount / 10 ** decimals).toFixed(decimals);
  const symbol = currency === 'usd' ? '$' : currency === 'eur' ? '€' : currency === 'gbp' ? '£' : currency === 'jpy' ? '¥' : '';
  return `${symbol}${value.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${symbol === '' ? ` ${currency}` : ''}`;
}

function parseInteger(params: FormObject, name: string): number | undefined {
  const raw = optString(params, name);
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw)) throw invalidParam(name, `Invalid integer: ${raw}`, 'parameter_invalid_integer');
  return Number(raw);
}

/** A charge amount: positive integer, at least the currency minimum, at most 8 digits. */
export function parseChargeAmount(params: FormObject, currency: string, name = 'amount', required = true): number | undefined {
  const amount = parseInteger(params, name);
  if (amount === undefined) {
    if (required) throw missingParam(name);
    return undefined;
  }
  validateChargeAmount(amount, currency, name);
  return amount;
}

export function validateChargeAmount(amount: number, currency: string, name = 'amount'): void {
  if (amount < 1) throw invalidParam(name, 'This value must be greater than or equal to 1.', 'parameter_invalid_integer');
  if (amount > MAX_AMOUNT) {
    throw invalidRequest(`Amount must be no more than ${formatAmount(MAX_AMOUNT, currency)}`, name, 'amount_too_large');
  }
  const minimum = MINIMUM_CHARGE[currency] ?? 50;
  if (amount < minimum) {
    throw invalidRequest(`Amount must be at least ${formatAmount(minimum, currency)} ${currency}`, name, 'amount_too_small');
  }
  if (THREE_DECIMAL.has(currency) && amount % 10 !== 0) {
    throw invalidRequest(`Amounts in ${currency} must be divisible by 10 (they are rounded to two decimals for card payments).`, name, 'invalid_amount');
  }
}

/** A price's unit amount: a non-negative integer of at most 8 digits (free prices are allowed). */
export function parseUnitAmount(params: FormObject, name = 'unit_amount'): number | undefined {
  const amount = parseInteger(params, name);
  if (amount === undefined) return undefined;
  if (amount < 0) throw invalidParam(name, 'This value must be greater than or equal to 0.', 'parameter_invalid_integer');
  if (amount > MAX_AMOUNT) throw invalidRequest(`This value must be less than or equal to ${MAX_AMOUNT}.`, name, 'amount_too_large');
  return amount;
}
