/**
 * Amounts for people: integer minor units of a lower-case ISO 4217 currency, as Stripe counts them,
 * shown as en-US shows them ("$20.00", "¥2,000", "BHD 1.500").
 *
 * Built from strings and a table rather than `Intl.NumberFormat`: the first Intl object a process
 * creates loads ICU's locale data, about as long as the rest of the worker's first message takes
 * to render, and it would be paid on every cold start. The table also keeps a message the same
 * whichever ICU version the runtime ships, so a redelivery renders what the first delivery did.
 * The unit tests hold the output to Intl's for every currency Stripe supports.
 */

/** Currencies Stripe counts in whole units: 2000 jpy is ¥2,000, not ¥20.00. */
const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);
/** Currencies Stripe counts in thousandths. */
const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

/**
 * en-US currency symbols (CLDR), with the no-break space CLDR puts between a symbol that ends in a
 * letter and the digits (F CFA's inner space is a narrow one). Every other currency shows as its code
 * and a no-break space ("BHD 1.500").
 */
const SYMBOLS: Readonly<Record<string, string>> = {
  aud: 'A$', brl: 'R$', cad: 'CA$', cny: 'CN¥', eur: '€', gbp: '£', hkd: 'HK$', ils: '₪', inr: '₹', jpy: '¥', krw: '₩', mxn: 'MX$',
  nzd: 'NZ$', php: '₱', twd: 'NT$', usd: '$', vnd: '₫', xaf: 'FCFA\u00a0', xcd: 'EC$', xof: 'F\u202fCFA\u00a0', xpf: 'CFPF\u00a0',
};

/** How many digits of `currency` lie after the decimal point in Stripe's minor units. */
export function minorUnitDigits(currency: string): number {
  const code = currency.toLowerCase();
  if (ZERO_DECIMAL.has(code)) return 0;
  if (THREE_DECIMAL.has(code)) return 3;
  return 2;
}

/**
 * Formats an amount exactly: the decimal string is built with integer arithmetic, so no binary
 * fraction ever rounds a cent away. Stripe's digit count wins over the locale data where they
 * differ (Stripe counts ISK and HUF in hundredths).
 */
export function formatMoney(amount: number, currency: string): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`amount must be an integer number of minor units, got ${amount}`);
  if (!/^[A-Za-z]{3}$/.test(currency)) throw new RangeError(`currency must be a three-letter ISO 4217 code, got ${currency}`);
  const code = currency.toLowerCase();
  const digits = minorUnitDigits(code);
  const magnitude = String(Math.abs(amount)).padStart(digits + 1, '0');
  const whole = magnitude.slice(0, magnitude.length - digits).replace(/\B(?=(\d{3})+$)/g, ',');
  const fraction = digits > 0 ? `.${magnitude.slice(magnitude.length - digits)}` : '';
  return `${amount < 0 ? '-' : ''}${SYMBOLS[code] ?? `${code.toUpperCase()}\u00a0`}${whole}${fraction}`;
}
