import type { CatalogPrice, CatalogProduct } from '../../domain/catalog';

/**
 * The products and prices tables, owned by the product and pricing services. This service reads
 * them and writes back only the Stripe ids it made for them.
 */
export interface CatalogRepository {
  getProduct(productId: string): Promise<CatalogProduct | undefined>;
  getPrice(priceId: string): Promise<CatalogPrice | undefined>;
  /** Every price, a page at a time (`cursor` from the previous page). */
  listPrices(cursor?: string): Promise<{ prices: CatalogPrice[]; cursor: string | undefined }>;
  setStripeProductId(productId: string, stripeProductId: string): Promise<void>;
  setStripePriceId(priceId: string, stripePriceId: string): Promise<void>;
}

export const CATALOG_REPOSITORY = Symbol.for('CatalogRepository');
