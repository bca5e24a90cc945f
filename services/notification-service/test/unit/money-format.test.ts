import { formatMoney, minorUnitDigits } from '../../src/domain/money-format';

/** Stripe's presentment currencies (card payments), and two codes no table knows. */
const STRIPE_CURRENCIES = (
  'usd aed afn all amd ang aoa ars aud awg azn bam bbd bdt bgn bif bmd bnd bob brl bsd bwp byn bzd cad cdf chf clp cny cop crc cve czk ' +
  'djf dkk dop dzd egp etb eur fjd fkp gbp gel gip gmd gnf gtq gyd hkd hnl htg huf idr ils inr isk jmd jpy kes kgs khr kmf krw kyd kzt ' +
  'lak lbp lkr lrd lsl mad mdl mga mkd mmk mnt mop mur mvr mwk mxn myr mzn nad ngn nio nok npr nzd pab pen pgk php pkr pln pyg qar ron ' +
  'rsd rub rwf sar sbd scr sek sgd shp sle sos srd std szl thb tjs top try ttd twd tzs uah ugx uyu uzs vnd vuv wst xaf xcd xof xpf yer zar zmw ' +
  'bhd jod kwd omr tnd qqq zzz'
).split(' ');

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

  it('refuses a currency that is not a three-letter code, as Intl does', () => {
    expect(() => formatMoney(100, 'us1')).toThrow(RangeError);
    expect(() => formatMoney(100, 'usdx')).toThrow(RangeError);
  });

  // The formatter keeps its own symbol table (ICU's data costs a cold start); it must write what
  // Intl writes in en-US for every currency Stripe charges in, and for a code it has never heard of.
  it.each(STRIPE_CURRENCIES)('writes %s as Intl writes it in en-US', (currency) => {
    const digits = minorUnitDigits(currency);
    const intl = new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase(), minimumFractionDigits: digits, maximumFractionDigits: digits });
    for (const amount of [0, 1, 7, 99, 100, 1234, 99_999_999, 123_456_789_012, -1, -250_000]) {
      const decimal = amount / 10 ** digits;
      expect(formatMoney(amount, currency)).toBe(intl.format(decimal));
    }
  });

  it('counts digits as Stripe does', () => {
    expect([minorUnitDigits('jpy'), minorUnitDigits('usd'), minorUnitDigits('bhd'), minorUnitDigits('huf')]).toEqual([0, 2, 3, 2]);
  });
});
