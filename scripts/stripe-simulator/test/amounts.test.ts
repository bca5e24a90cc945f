import fc from 'fast-check';
import { MAX_AMOUNT, MINIMUM_CHARGE, ZERO_DECIMAL, formatAmount, validateChargeAmount } from '../amounts';
import { StripeApiError } from '../errors';
import { startHarness } from './helpers';

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    if (err instanceof StripeApiError) return err.body.code;
    throw err;
  }
}

describe('charge amount rules', () => {
  it('applies per-currency minimums and the eight-digit ceiling', () => {
    expect(codeOf(() => validateChargeAmount(49, 'usd'))).toBe('amount_too_small');
    expect(codeOf(() => validateChargeAmount(50, 'usd'))).toBeUndefined();
    expect(codeOf(() => validateChargeAmount(29, 'gbp'))).toBe('amount_too_small');
    expect(codeOf(() => validateChargeAmount(49, 'jpy'))).toBe('amount_too_small');
    expect(codeOf(() => validateChargeAmount(50, 'jpy'))).toBeUndefined();
    expect(codeOf(() => validateChargeAmount(MAX_AMOUNT, 'usd'))).toBeUndefined();
    expect(codeOf(() => validateChargeAmount(MAX_AMOUNT + 1, 'usd'))).toBe('amount_too_large');
    expect(codeOf(() => validateChargeAmount(505, 'kwd'))).toBe('invalid_amount');
  });

  it('accepts exactly the amounts between the minimum and the ceiling', () => {
    const currencies = Object.keys(MINIMUM_CHARGE);
    // The edges, where an off-by-one hides, are tried first; random amounts after them.
    const edges = currencies.flatMap((c) => [MINIMUM_CHARGE[c]! - 1, MINIMUM_CHARGE[c]!, MAX_AMOUNT, MAX_AMOUNT + 1].map((a): [string, number] => [c, a]));
    fc.assert(
      fc.property(fc.constantFrom(...currencies), fc.integer({ min: 1, max: MAX_AMOUNT * 2 }), (currency, amount) => {
        const code = codeOf(() => validateChargeAmount(amount, currency));
        const min = MINIMUM_CHARGE[currency]!;
        const aligned = !['bhd', 'jod', 'kwd', 'omr', 'tnd'].includes(currency) || amount % 10 === 0;
        const ok = amount >= min && amount <= MAX_AMOUNT && aligned;
        expect({ currency, amount, accepted: code === undefined }).toEqual({ currency, amount, accepted: ok });
      }),
      { examples: edges },
    );
  });

  it('formats zero-decimal currencies without a minor unit', () => {
    expect(ZERO_DECIMAL.has('jpy')).toBe(true);
    expect(formatAmount(50, 'jpy')).toBe('¥50');
    expect(formatAmount(50, 'usd')).toBe('$0.50');
    expect(formatAmount(MAX_AMOUNT, 'usd')).toBe('$999,999.99');
  });
});

describe('rate limiting', () => {
  it('uses Stripe test-mode limits by default when switched on', async () => {
    let now = Date.UTC(2030, 0, 1);
    const { RateLimiter, TEST_MODE_LIMITS } = await import('../rate-limit');
    const limiter = new RateLimiter(TEST_MODE_LIMITS, () => now);
    const reads = Array.from({ length: 30 }, () => limiter.allow('GET'));
    const writes = Array.from({ length: 30 }, () => limiter.allow('POST'));
    expect(reads.filter(Boolean)).toHaveLength(25);
    expect(writes.filter(Boolean)).toHaveLength(25);
    now += 1000;
    expect(limiter.allow('GET')).toBe(true);
  });

  it('is off by default and answers 429 rate_limit when on', async () => {
    const { sim, stripe } = await startHarness();
    try {
      const burst = async (): Promise<number[]> =>
        Promise.all(
          Array.from({ length: 40 }, () =>
            stripe.customers.list({ limit: 1 }).then(
              () => 200,
              (e: { statusCode?: number; code?: string }) => (e.code === 'rate_limit' ? (e.statusCode ?? 0) : -1),
            ),
          ),
        );
      expect((await burst()).every((s) => s === 200)).toBe(true);
      // Small limits, so a burst that straddles a second boundary still overflows both windows.
      sim.setRateLimit({ readPerSecond: 5, writePerSecond: 5 });
      const statuses = await burst();
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(5);
      expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(15);
      expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
      sim.setRateLimit(false);
      expect((await burst()).every((s) => s === 200)).toBe(true);
    } finally {
      await sim.stop();
    }
  });
});
