import { DomainError } from '@shared/errors/domain-error';
import type { CatalogRepository } from '../ports/catalog-repository';
import type { SyncOutcome, SyncProductPrice } from './sync-product-price';

export interface CatalogSyncSummary {
  products: Record<SyncOutcome, number>;
  prices: Record<SyncOutcome | 'failed', number>;
  failures: { priceId: string; code: string; reason: string }[];
}

/**
 * Brings every local price and its product into Stripe, one at a time (the account's rate limit is
 * shared with live traffic). One failing price is reported, not fatal; a dependency outage stops the run.
 */
export class SyncCatalog {
  constructor(
    private readonly catalog: CatalogRepository,
    private readonly syncPrice: SyncProductPrice,
  ) {}

  async execute(onProgress: (done: number, summary: CatalogSyncSummary) => void = () => undefined): Promise<CatalogSyncSummary> {
    const summary: CatalogSyncSummary = { products: { created: 0, updated: 0, unchanged: 0 }, prices: { created: 0, updated: 0, unchanged: 0, failed: 0 }, failures: [] };
    const seenProducts = new Set<string>();
    let cursor: string | undefined;
    let done = 0;
    do {
      const page = await this.catalog.listPrices(cursor);
      for (const price of page.prices) {
        try {
          const synced = await this.syncPrice.execute(price.priceId, { requirePurchasable: false });
          if (!seenProducts.has(synced.stripeProductId)) {
            seenProducts.add(synced.stripeProductId);
            summary.products[synced.product] += 1;
          }
          summary.prices[synced.priceOutcome] += 1;
        } catch (error) {
          if (!(error instanceof DomainError) || error.kind === 'unavailable' || error.kind === 'rate_limited') throw error;
          summary.prices.failed += 1;
          summary.failures.push({ priceId: price.priceId, code: error.code, reason: error.message });
        }
        done += 1;
        onProgress(done, summary);
      }
      cursor = page.cursor;
    } while (cursor);
    return summary;
  }
}
