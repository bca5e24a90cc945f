import { chargeAmountProblem, isZeroDecimal, MAX_AMOUNT, minimumChargeAmount, SUPPORTED_CURRENCIES } from '../../src/domain/money';

// Stripe's published lists, written out again here so that a currency dropped from (or added to)
// the domain's tables is a failing test, not a charge in the wrong unit.
const ZERO_DECIMAL = ['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf'];
const PRESENTMENT_CURRENCIES = [
  'usd', 'aed', 'afn', 'all', 'amd', 'ang', 'aoa', 'ars', 'aud', 'awg', 'azn', 'bam', 'bbd', 'bdt', 'bgn', 'bif', 'bmd', 'bnd',
  'bob', 'brl', 'bsd', 'bwp', 'byn', 'bzd', 'cad', 'cdf', 'chf', 'clp', 'cny', 'cop', 'crc', 'cve', 'czk', 'djf', 'dkk', 'dop',
  'dzd', 'egp', 'etb', 'eur', 'fjd', 'fkp', 'gbp', 'gel', 'gip', 'gmd', 'gnf', 'gtq', 'gyd', 'hkd', 'hnl', 'htg', 'huf', 'idr',
  'ils', 'inr', 'isk', 'jmd', 'jpy', 'kes', 'kgs', 'khr', 'kmf', 'krw', 'kyd', 'kzt', 'lak', 'lbp', 'lkr', 'lrd', 'lsl', 'mad',
  'mdl', 'mga', 'mkd', 'mmk', 'mnt', 'mop', 'mur', 'mvr', 'mwk', 'mxn', 'myr', 'mzn', 'nad', 'ngn', 'nio', 'nok', 'npr', 'nzd',
  'pab', 'pen', 'pgk', 'php', 'pkr', 'pln', 'pyg', 'qar', 'ron', 'rsd', 'rub', 'rwf', 'sar', 'sbd', 'scr', 'sek', 'sgd', 'shp',
  'sle', 'sos', 'srd', 'std', 'szl', 'thb', 'tjs', 'top', 'try', 'ttd', 'twd', 'tzs', 'uah', 'ugx', 'uyu', 'uzs', 'vnd', 'vuv',
  'wst', 'xaf', 'xcd', 'xof', 'xpf', 'yer', 'zar', 'zmw',
];
const MINIMUMS: Record<string, number> = {
  usd: 50, aed: 200, aud: 50, bgn: 100, brl: 50, cad: 50, chf: 50, czk: 1500, dkk: 250, eur: 50, gbp: 30,
  hkd: 400, huf: 17500, inr: 50, jpy: 50, mxn: 1000, myr: 200, nok: 300, nzd: 50, pln: 200, ron: 200,
  sek: 300, sgd: 50, thb: 1000,
};

describe('zero-decimal currencies', () => {
  it.each(ZERO_DECIMAL)('%s is charged in whole units, whatever its case', (currency) => {
    expect(isZeroDecimal(currency)).toBe(true);
    expect(isZeroDecimal(currency.toUpperCase())).toBe(true);
  });

  it('usd, eur and the three-decimal currencies are not', () => {
    for (const currency of ['usd', 'eur', 'gbp', 'kwd', 'bhd']) expect(isZeroDecimal(currency)).toBe(false);
  });
});

describe('minimum charge', () => {
  it.each(Object.entries(MINIMUMS))('%s: %d minor units, whatever its case', (currency, minimum) => {
    expect(minimumChargeAmount(currency)).toBe(minimum);
    expect(minimumChargeAmount(currency.toUpperCase())).toBe(minimum);
  });

  it('is 50 for a currency Stripe lists no minimum for', () => {
    expect(minimumChargeAmount('afn')).toBe(50);
    expect(minimumChargeAmount('AFN')).toBe(50);
  });
});

describe('chargeAmountProblem', () => {
  it('accepts each bound itself: the minimum and the largest amount', () => {
    expect(chargeAmountProblem({ amount: 50, currency: 'usd' })).toBeUndefined();
    expect(chargeAmountProblem({ amount: 30, currency: 'gbp' })).toBeUndefined();
    expect(chargeAmountProblem({ amount: MAX_AMOUNT, currency: 'usd' })).toBeUndefined();
  });

  it('refuses one minor unit under the minimum as too small, and one over the maximum as too large', () => {
    expect(chargeAmountProblem({ amount: 49, currency: 'usd' })).toBe('too_small');
    expect(chargeAmountProblem({ amount: 29, currency: 'gbp' })).toBe('too_small');
    expect(chargeAmountProblem({ amount: 17_499, currency: 'huf' })).toBe('too_small');
    expect(chargeAmountProblem({ amount: MAX_AMOUNT + 1, currency: 'usd' })).toBe('too_large');
  });

  it('refuses zero and negative amounts as not positive, before the minimum', () => {
    expect(chargeAmountProblem({ amount: 0, currency: 'usd' })).toBe('not_positive');
    expect(chargeAmountProblem({ amount: -1, currency: 'usd' })).toBe('not_positive');
    expect(chargeAmountProblem({ amount: -100_000_000, currency: 'usd' })).toBe('not_positive');
  });

  it('refuses fractions and unsafe integers as not integers', () => {
    expect(chargeAmountProblem({ amount: 50.5, currency: 'usd' })).toBe('not_an_integer');
    expect(chargeAmountProblem({ amount: Number.NaN, currency: 'usd' })).toBe('not_an_integer');
    expect(chargeAmountProblem({ amount: 2 ** 53, currency: 'usd' })).toBe('not_an_integer');
  });

  it('refuses a currency Stripe does not take, and an upper-case code (codes are lower case), before the amount', () => {
    expect(chargeAmountProblem({ amount: 1000, currency: 'xyz' })).toBe('bad_currency');
    expect(chargeAmountProblem({ amount: 1000, currency: 'USD' })).toBe('bad_currency');
    expect(chargeAmountProblem({ amount: 0.5, currency: 'xyz' })).toBe('bad_currency');
  });

  it('knows the currencies it accepts', () => {
    for (const currency of ['usd', 'eur', 'jpy', 'zmw', 'afn']) expect(SUPPORTED_CURRENCIES.has(currency)).toBe(true);
    expect(SUPPORTED_CURRENCIES.has('')).toBe(false);
  });

  it('accepts exactly the presentment currencies Stripe lists for cards, each a three-letter code', () => {
    expect([...SUPPORTED_CURRENCIES].sort()).toEqual([...PRESENTMENT_CURRENCIES].sort());
    for (const currency of SUPPORTED_CURRENCIES) expect(currency).toMatch(/^[a-z]{3}$/);
  });
});
