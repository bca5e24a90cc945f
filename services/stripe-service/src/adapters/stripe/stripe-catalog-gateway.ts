import type Stripe from 'stripe';
import type { CatalogGateway, GatewayPrice, GatewayProduct, ProductFields } from '../../application/ports/catalog-gateway';
import type { Recurring } from '../../domain/catalog';
import { idOf, narrow, type StripeCaller } from './stripe-call';

/** Products and prices on Stripe. Which price to create or archive is the use case's decision. */
export class StripeCatalogGateway implements CatalogGateway {
  constructor(private readonly stripe: StripeCaller) {}

  async retrieveProduct(id: string): Promise<GatewayProduct | undefined> {
    return this.stripe.callOrUndefined(async (stripe, options) => toProduct(await stripe.products.retrieve(id, {}, options)));
  }

  async createProduct(input: ProductFields & { id: string; idempotencyKey: string }): Promise<GatewayProduct> {
    return this.stripe.call(async (stripe, options) =>
      toProduct(await stripe.products.create({ id: input.id, ...productParams(input) }, { ...options, idempotencyKey: input.idempotencyKey })),
    );
  }

  async updateProduct(id: string, fields: ProductFields): Promise<GatewayProduct> {
    return this.stripe.call(async (stripe, options) => toProduct(await stripe.products.update(id, productParams(fields), options)));
  }

  async findPriceByLookupKey(lookupKey: string): Promise<GatewayPrice | undefined> {
    return this.stripe.call(async (stripe, options) => {
      const prices = await stripe.prices.list({ lookup_keys: [lookupKey], active: true, limit: 1 }, options);
      const price = prices.data[0];
      return price ? toPrice(price) : undefined;
    });
  }

  async createPrice(input: Parameters<CatalogGateway['createPrice']>[0]): Promise<GatewayPrice> {
    return this.stripe.call(async (stripe, options) =>
      toPrice(
        await stripe.prices.create(
          {
            product: input.productId,
            unit_amount: input.unitAmount,
            currency: input.currency,
            lookup_key: input.lookupKey,
            transfer_lookup_key: true,
            metadata: input.metadata ?? {},
            ...(input.recurring ? { recurring: { interval: input.recurring.interval, interval_count: input.recurring.intervalCount } } : {}),
          },
          { ...options, idempotencyKey: input.idempotencyKey },
        ),
      ),
    );
  }

  async archivePrice(id: string): Promise<GatewayPrice> {
    return this.stripe.call(async (stripe, options) => toPrice(await stripe.prices.update(id, { active: false }, options)));
  }
}

function productParams(fields: ProductFields) {
  return { name: fields.name, active: fields.active, ...(fields.description ? { description: fields.description } : {}), metadata: fields.metadata ?? {} };
}

function toProduct(product: Stripe.Product): GatewayProduct {
  return {
    id: product.id,
    name: product.name,
    description: product.description ?? undefined,
    active: product.active,
    metadata: { ...(product.metadata ?? {}) },
  };
}

function toRecurring(recurring: Stripe.Price.Recurring): Recurring {
  return { interval: narrow(recurring.interval, ['day', 'week', 'month', 'year'] as const, 'price interval'), intervalCount: recurring.interval_count };
}

function toPrice(price: Stripe.Price): GatewayPrice {
  return {
    id: price.id,
    productId: idOf(price.product) ?? '',
    unitAmount: price.unit_amount ?? 0,
    currency: price.currency,
    recurring: price.recurring ? toRecurring(price.recurring) : undefined,
    lookupKey: price.lookup_key ?? undefined,
    active: price.active,
  };
}
