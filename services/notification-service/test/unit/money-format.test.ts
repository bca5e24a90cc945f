import { formatMoney, minorUnitDigits } from '../../src/domain/money-format';

describe('formatMoney', () => {
  it.each([
    [2000, 'usd', '$20.00'],
    [5, 'usd', '$0.05'],
    [123456789, 'usd', '$1,234,567.89'],
    [2000, 'jpy', '¥2,000'],
    [2000, 'JPY', '¥2,000'],
    [50000, 'krw', '₩50,000'],
    [1500, 'eur', '€15.00'],
    [1999, 'gbp', '£19.99'],
    [1500, 'bhd', 'BHD 1.500'],
    [1, 'kwd', 'KWD 0.001'],
    [10000, 'isk', 'ISK 100.00'],
  ])('shows %i minor units of %s as %s', (amount, currency, expected) => {
    // Intl separates a currency code from the number with a no-break space.
    expect(formatMoney(amount, currency).replace(/\u00a0/g, ' ')).toBe(expected);
  });

  it('is exact where a binary fraction is not (0.07 × 100 is 7.000000000000001)', () => {
    expect(formatMoney(7, 'usd')).toBe('$0.07');
    expect(formatMoney(100000000007, 'usd')).toBe('$1,000,000,000.07');
  });

  it('refuses an amount that is not a whole number of minor units', () => {
    expect(() => formatMoney(20.5, 'usd')).toThrow(RangeError);
  });

  it('counts digits as Stripe does', () => {
    expect([minorUnitDigits('jpy'), minorUnitDigits('usd'), minorUnitDigits('bhd'), minorUnitDigits('huf')]).toEqual([0, 2, 3, 2]);
  });
});
