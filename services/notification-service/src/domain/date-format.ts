/**
 * Days for people, as en-US writes them in UTC ("January 5, 2026"). Built from the date's UTC
 * fields rather than `Intl.DateTimeFormat` for the reason money-format.ts gives: Intl's first use
 * in a process loads ICU's locale data, paid on every cold start. The unit tests hold the output to
 * Intl's `dateStyle: 'long'`.
 */
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function formatLongDate(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('Invalid time value');
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()}`;
}
