import { DomainError } from '@shared/errors/domain-error';
import { lookupKeyFor, sameTerms, stripeProductIdFor, type CatalogPrice, type CatalogProduct } from '../../domain/catalog';
import type { CatalogGateway, GatewayPrice, GatewayProduct } from '../ports/catalog-gateway';
import type { CatalogRepository } from '../ports/catalog-repository';
import type { Clock } from '../ports/clock';
import { stripeIdempotencyKey } from '../shared/idempotency-keys';
import { PriceNotFoundError, PriceNotPurchasableError } from './catalog-errors';

export type SyncOutcome = 'created' | 'updated' | 'unchanged';

export interface SyncedPrice {
  price: CatalogPrice;
  stripePriceId: string;
  stripeProductId: string;
  product: SyncOutcome;
  priceOutcome: SyncOutcome;
}

/**
 * Brings one local price (and its product) into Stripe, creating what is missing ("create if
 * missing"). Stripe product ids are derived from local ids and prices are found by lookup key, so
 * any number of concurrent syncs of one price end with one Stripe product and one active price:
 * they send the same creation keys and Stripe replays the first. Stripe prices are immutable: a
 * changed amount, currency or interval makes a new price that takes the lookup key over, and the
 * old one is archived.
 */
export class SyncProductPrice {
  constructor(
    private readonly catalog: CatalogRepository,
    private readonly gateway: CatalogGateway,
    private readonly clock: Clock,
  ) {}

  async execute(priceId: string, options: { requirePurchasable: boolean } = { requirePurchasable: true }): Promise<SyncedPrice> {
    const price = await this.catalog.getPrice(priceId);
    if (!price) throw new PriceNotFoundError();
    const product = await this.catalog.getProduct(price.productId);
    if (options.requirePurchasable) {
      if (!price.active) throw new PriceNotPurchasableError('it is inactive');
      if (!product?.active) throw new PriceNotPurchasableError('its product is missing or inactive');
    }
    if (!product) throw new PriceNotPurchasableError('its product is missing');
    const [stripeProduct, productOutcome] = await this.ensureProduct(product);
    const [stripePrice, priceOutcome] = await this.ensurePrice(price, stripeProduct.id);
    if (product.stripeProductId !== stripeProduct.id) await this.catalog.setStripeProductId(product.productId, stripeProduct.id);
    if (price.stripePriceId !== stripePrice.id) await this.catalog.setStripePriceId(price.priceId, stripePrice.id);
    return { price, stripePriceId: stripePrice.id, stripeProductId: stripeProduct.id, product: productOutcome, priceOutcome };
  }

  private async ensureProduct(product: CatalogProduct): Promise<[GatewayProduct, SyncOutcome]> {
    const id = stripeProductIdFor(product.productId);
    const fields = { name: product.name, ...(product.description ? { description: product.description } : {}), active: product.active, metadata: { localProductId: product.productId } };
    const existing = await this.gateway.retrieveProduct(id);
    if (!existing) {
      try {
        const created = await this.whileInFlight(() => this.gateway.createProduct({ id, ...fields, idempotencyKey: stripeIdempotencyKey('product-create', id) }));
        return [created, 'created'];
      } catch (error) {
        // Made by a sync whose key Stripe has forgotten: it is there, so use it.
        if (!(error instanceof DomainError) || error.code !== 'resource_already_exists') throw error;
        const made = await this.gateway.retrieveProduct(id);
        if (!made) throw error;
        return [made, 'unchanged'];
      }
    }
    if (existing.name === product.name && existing.description === product.description && existing.active === product.active) return [existing, 'unchanged'];
    return [await this.gateway.updateProduct(id, fields), 'updated'];
  }

  private async ensurePrice(price: CatalogPrice, stripeProductId: string): Promise<[GatewayPrice, SyncOutcome]> {
    const lookupKey = lookupKeyFor(price.priceId);
    const terms = { productId: stripeProductId, unitAmount: price.unitAmount, currency: price.currency, recurring: price.recurring };
    const current = await this.gateway.findPriceByLookupKey(lookupKey);
    if (current && sameTerms(current, terms)) return [current, 'unchanged'];
    const recurring = terms.recurring ? `${terms.recurring.interval}/${terms.recurring.intervalCount}` : 'once';
    const created = await this.whileInFlight(() =>
      this.gateway.createPrice({
        lookupKey,
        ...terms,
        metadata: { localPriceId: price.priceId },
        // The terms and the price they replace are in the key: syncs that found the same price replay one
        // creation, changed terms make a new price, and so do terms changed back (whose first price is archived).
        idempotencyKey: stripeIdempotencyKey('price-create', lookupKey, stripeProductId, String(terms.unitAmount), terms.currency, recurring, current?.id ?? 'none'),
      }),
    );
    if (current && current.id !== created.id) await this.gateway.archivePrice(current.id);
    return [created, current ? 'updated' : 'created'];
  }

  /** A concurrent sync holding the same creation key is answered 409 by Stripe until it finishes; wait for its result. */
  private async whileInFlight<T>(create: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await create();
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== 'payment_provider_idempotency_conflict' || attempt >= 8) throw error;
        await this.clock.sleep(50 * attempt);
      }
    }
  }
}
