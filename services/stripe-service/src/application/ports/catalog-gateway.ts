import type { Recurring } from '../../domain/catalog';

export interface GatewayProduct {
  id: string;
  name: string;
  description: string | undefined;
  active: boolean;
  metadata: Record<string, string>;
}

export interface GatewayPrice {
  id: string;
  productId: string;
  unitAmount: number;
  currency: string;
  recurring: Recurring | undefined;
  lookupKey: string | undefined;
  active: boolean;
}

export interface ProductFields {
  name: string;
  description?: string;
  active: boolean;
  metadata?: Record<string, string>;
}

/** The payment provider's products and prices. Prices are immutable there: a change is a new price. */
export interface CatalogGateway {
  /** One product by id, or undefined when the provider has none. */
  retrieveProduct(id: string): Promise<GatewayProduct | undefined>;
  /** Creates a product under our chosen id; the same key replays the first creation. */
  createProduct(input: ProductFields & { id: string; idempotencyKey: string }): Promise<GatewayProduct>;
  updateProduct(id: string, fields: ProductFields): Promise<GatewayProduct>;
  /** The active price holding this lookup key, if any. */
  findPriceByLookupKey(lookupKey: string): Promise<GatewayPrice | undefined>;
  /** Creates a price that takes the lookup key over from any price holding it. */
  createPrice(input: {
    lookupKey: string;
    productId: string;
    unitAmount: number;
    currency: string;
    recurring?: Recurring;
    metadata?: Record<string, string>;
    idempotencyKey: string;
  }): Promise<GatewayPrice>;
  /** Makes a price unavailable for new purchases (existing subscriptions keep it). */
  archivePrice(id: string): Promise<GatewayPrice>;
}

export const CATALOG_GATEWAY = Symbol.for('CatalogGateway');
