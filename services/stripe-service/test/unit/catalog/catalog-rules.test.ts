import { lookupKeyFor, sameTerms, stripeProductIdFor, type PriceTerms } from '../../../src/domain/catalog';

describe('Stripe product ids', () => {
  it('keep the local id, with what Stripe does not take in an id written as an underscore', () => {
    expect(stripeProductIdFor('tea-box_1')).toBe('prod_local_tea-box_1');
    expect(stripeProductIdFor('tea box/1')).toBe('prod_local_tea_box_1');
  });

  it('look prices up by the local price id', () => {
    expect(lookupKeyFor('price-1')).toBe('local:price-1');
  });
});

describe('same terms', () => {
  const terms: PriceTerms = { productId: 'prod-1', unitAmount: 1200, currency: 'eur', recurring: { interval: 'month', intervalCount: 1 } };

  it('holds for the same product, amount, currency and schedule, a missing interval count being one', () => {
    expect(sameTerms(terms, { ...terms })).toBe(true);
    expect(sameTerms({ ...terms, recurring: undefined }, { ...terms, recurring: undefined })).toBe(true);
  });

  it.each<[string, Partial<PriceTerms>]>([
    ['another product', { productId: 'prod-2' }],
    ['another amount', { unitAmount: 1300 }],
    ['another currency', { currency: 'usd' }],
    ['another interval', { recurring: { interval: 'year', intervalCount: 1 } }],
    ['one-off instead of recurring', { recurring: undefined }],
    ['another interval count', { recurring: { interval: 'month', intervalCount: 3 } }],
  ])('fails for %s', (_, change) => {
    expect(sameTerms(terms, { ...terms, ...change })).toBe(false);
    expect(sameTerms({ ...terms, ...change }, terms)).toBe(false);
  });
});
