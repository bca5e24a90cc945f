/**
 * Products and prices as the product and pricing services own them (their tables), and the rules
 * for mirroring them in Stripe. Stripe prices cannot change amount or currency: a changed price is a
 * new Stripe price that takes the lookup key over, and the old one is archived.
 */

export type Interval = 'day' | 'week' | 'month' | 'year';

export interface Recurring {
  interval: Interval;
  intervalCount: number;
}

export interface CatalogProduct {
  productId: string;
  name: string;
  description: string | undefined;
  active: boolean;
  stripeProductId: string | undefined;
}

export interface CatalogPrice {
  priceId: string;
  productId: string;
  unitAmount: number;
  currency: string;
  recurring: Recurring | undefined;
  active: boolean;
  stripePriceId: string | undefined;
}

/** Stripe product ids may be chosen by us: derived from the local id, a retry finds what an earlier attempt made. */
export function stripeProductIdFor(productId: string): string {
  return `prod_local_${productId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** The lookup key under which the Stripe price for a local price is found. */
export function lookupKeyFor(priceId: string): string {
  return `local:${priceId}`;
}

export interface PriceTerms {
  productId: string;
  unitAmount: number;
  currency: string;
  recurring: Recurring | undefined;
}

/** True when the Stripe price already charges what the local price says. */
export function sameTerms(a: PriceTerms, b: PriceTerms): boolean {
  return (
    a.productId === b.productId &&
    a.unitAmount === b.unitAmount &&
    a.currency === b.currency &&
    a.recurring?.interval === b.recurring?.interval &&
    (a.recurring?.intervalCount ?? 1) === (b.recurring?.intervalCount ?? 1)
  );
}
