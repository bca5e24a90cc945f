import { formatLongDate } from '../../src/domain/date-format';

describe('formatLongDate', () => {
  const intl = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' });

  it('writes a day as en-US does, in UTC', () => {
    expect(formatLongDate(new Date('2026-01-05T23:59:59.999Z'))).toBe('January 5, 2026');
    expect(formatLongDate(new Date('2024-02-29T00:00:00+02:00'))).toBe('February 28, 2024');
  });

  // Its own month names instead of Intl (ICU's data costs a cold start): it must agree with Intl.
  it('agrees with Intl dateStyle long for every day of a leap year and of two common years, and at the range ends', () => {
    const days: Date[] = [];
    for (const year of [2024, 2025, 2100]) {
      for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) days.push(new Date(t + 86_399_999));
    }
    days.push(new Date(0), new Date('9999-12-31T12:00:00Z'), new Date('1000-06-15T00:00:00Z'));
    for (const day of days) expect(formatLongDate(day)).toBe(intl.format(day));
  });

  it('refuses an invalid date, as Intl does', () => {
    expect(() => formatLongDate(new Date('not a date'))).toThrow(RangeError);
    expect(() => intl.format(new Date('not a date'))).toThrow(RangeError);
  });
});
