/**
 * Money is an integer amount in the currency's minor unit (cents for usd, yen for jpy) plus a
 * lower-case ISO 4217 code; never a float.
 */
export interface Money {
  amount: number;
  currency: string;
}

/** Currencies Stripe charges without a minor unit. */
const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);

/** Stripe's minimum charge per settlement currency, in minor units (unlisted currencies: 50). */
const MINIMUM_CHARGE: Record<string, number> = {
  usd: 50, aed: 200, aud: 50, bgn: 100, brl: 50, cad: 50, chf: 50, czk: 1500, dkk: 250, eur: 50, gbp: 30,
  hkd: 400, huf: 17500, inr: 50, jpy: 50, mxn: 1000, myr: 200, nok: 300, nzd: 50, pln: 200, ron: 200,
  sek: 300, sgd: 50, thb: 1000,
};

/** The presentment currencies Stripe accepts for card payments (lower-case ISO 4217). */
export const SUPPORTED_CURRENCIES: ReadonlySet<string> = new Set(
  ('usd aed afn all amd ang aoa ars aud awg azn bam bbd bdt bgn bif bmd bnd bob brl bsd bwp byn bzd cad cdf chf clp cny cop crc cve czk ' +
    'djf dkk dop dzd egp etb eur fjd fkp gbp gel gip gmd gnf gtq gyd hkd hnl htg huf idr ils inr isk jmd jpy kes kgs khr kmf krw kyd kzt ' +
    'lak lbp lkr lrd lsl mad mdl mga mkd mmk mnt mop mur mvr mwk mxn myr mzn nad ngn nio nok npr nzd pab pen pgk php pkr pln pyg qar ron ' +
    'rsd rub rwf sar sbd scr sek sgd shp sle sos srd std szl thb tjs top try ttd twd tzs uah ugx uyu uzs vnd vuv wst xaf xcd xof xpf yer zar zmw').split(' '),
);

/** Stripe accepts at most eight digits for an amount. */
export const MAX_AMOUNT = 99_999_999;

export function isZeroDecimal(currency: string): boolean {
  return ZERO_DECIMAL.has(currency.toLowerCase());
}

export function minimumChargeAmount(currency: string): number {
  return MINIMUM_CHARGE[currency.toLowerCase()] ?? 50;
}

export type AmountProblem = 'not_an_integer' | 'not_positive' | 'too_small' | 'too_large' | 'bad_currency';

/** Why Stripe would refuse to charge this amount, or undefined when it is acceptable. */
export function chargeAmountProblem(money: Money): AmountProblem | undefined {
  if (!SUPPORTED_CURRENCIES.has(money.currency)) return 'bad_currency';
  if (!Number.isSafeInteger(money.amount)) return 'not_an_integer';
  if (money.amount <= 0) return 'not_positive';
  if (money.amount > MAX_AMOUNT) return 'too_large';
  if (money.amount < minimumChargeAmount(money.currency)) return 'too_small';
  return undefined;
}
