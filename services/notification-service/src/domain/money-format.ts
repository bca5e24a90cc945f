/**
 * Amounts for people: integer minor units of a lower-case ISO 4217 currency, as Stripe counts them,
 * shown in the currency's own notation ("$20.00", "¥2,000", "BHD 1.500").
 */

/** Currencies Stripe counts in whole units: 2000 jpy is ¥2,000, not ¥20.00. */
const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);
/** Currencies Stripe counts in thousandths. */
const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

/** How many digits of `currency` lie after the decimal point in Stripe's minor units. */
export function minorUnitDigits(currency: string): number {
  const code = currency.toLowerCase();
  if (ZERO_DECIMAL.has(code)) return 0;
  if (THREE_DECIMAL.has(code)) return 3;
  return 2;
}

/**
 * Formats an amount exactly: the decimal string is built with integer arithmetic and handed to
 * Intl as a string, so no binary fraction ever rounds a cent away. Stripe's digit count wins over
 * the locale data where they differ (Stripe counts ISK and HUF in hundredths).
 */
export function formatMoney(amount: number, currency: string, locale = 'en-US'): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`amount must be an integer number of minor units, got ${amount}`);
  const digits = minorUnitDigits(currency);
  const negative = amount < 0;
  const magnitude = String(Math.abs(amount)).padStart(digits + 1, '0');
  const whole = magnitude.slice(0, magnitude.length - digits);
  const fraction = digits > 0 ? `.${magnitude.slice(magnitude.length - digits)}` : '';
  const decimal = `${negative ? '-' : ''}${whole}${fraction}`;
  const format = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: currency.toUpperCase(),
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  // Intl formats decimal strings exactly (ECMA-402 "Intl.NumberFormat v3"); the cast is only for older lib typings.
  return format.format(decimal as unknown as number);
}
