import { randomUUID } from 'node:crypto';
import type { CatalogGateway } from '../../src/application/ports/catalog-gateway';
import { stripeContractSuite, type StripeBackend } from './stripe-contract-suite';

/** What every CatalogGateway must do, on each backend. */
export function catalogGatewayContract(backend: StripeBackend<CatalogGateway>) {
  stripeContractSuite('CatalogGateway', backend, ({ gateway, statefulIt, statefully, key }) => {
    const newProductId = () => `prod_${randomUUID().replaceAll('-', '').slice(0, 14)}`;

    it('creates a product under our id, replays it under its key, and updates it', async () => {
      const id = newProductId();
      const idempotencyKey = key('product');
      const product = await gateway().createProduct({ id, name: 'Pro plan', active: true, metadata: { localId: 'pro' }, idempotencyKey });
      expect(product.id).toMatch(/^prod_/);
      const updated = await gateway().updateProduct(product.id, { name: 'Pro plan (2026)', description: 'Everything', active: true, metadata: { localId: 'pro' } });
      expect(updated.id).toMatch(/^prod_/);
      await statefully('the product keeps our id; a replay answers it; the update is read back', async () => {
        expect(product).toEqual({ id, name: 'Pro plan', description: undefined, active: true, metadata: { localId: 'pro' } });
        expect((await gateway().createProduct({ id, name: 'Pro plan', active: true, metadata: { localId: 'pro' }, idempotencyKey })).id).toBe(id);
        expect(await gateway().retrieveProduct(id)).toEqual({ id, name: 'Pro plan (2026)', description: 'Everything', active: true, metadata: { localId: 'pro' } });
      });
    });

    it('creates a price under a lookup key and finds it by that key', async () => {
      const productId = (await gateway().createProduct({ id: newProductId(), name: 'Monthly', active: true, idempotencyKey: key('product') })).id;
      const lookupKey = `plan-${randomUUID()}`;
      const price = await gateway().createPrice({ lookupKey, productId, unitAmount: 900, currency: 'usd', recurring: { interval: 'month', intervalCount: 1 }, idempotencyKey: key('price') });
      expect(price.id).toMatch(/^price_/);
      await statefully('the price holds the key and its terms', async () => {
        expect(price).toMatchObject({ productId, unitAmount: 900, currency: 'usd', lookupKey, active: true, recurring: { interval: 'month', intervalCount: 1 } });
        expect(await gateway().findPriceByLookupKey(lookupKey)).toEqual(price);
      });
    });

    statefulIt('moves the lookup key to a new price, and archives the old one', 'fixtures keep no lookup keys', async () => {
      const productId = (await gateway().createProduct({ id: newProductId(), name: 'One-off', active: true, idempotencyKey: key('product') })).id;
      const lookupKey = `plan-${randomUUID()}`;
      const old = await gateway().createPrice({ lookupKey, productId, unitAmount: 900, currency: 'usd', idempotencyKey: key('price') });
      const raised = await gateway().createPrice({ lookupKey, productId, unitAmount: 1100, currency: 'usd', idempotencyKey: key('price') });
      expect(raised.id).not.toBe(old.id);
      expect(raised.recurring).toBeUndefined();
      expect(await gateway().findPriceByLookupKey(lookupKey)).toEqual(raised);
      expect(await gateway().archivePrice(old.id)).toMatchObject({ id: old.id, active: false, lookupKey: undefined });
    });

    statefulIt('answers undefined for an unknown product and lookup key', 'fixtures answer every id', async () => {
      expect(await gateway().retrieveProduct(newProductId())).toBeUndefined();
      expect(await gateway().findPriceByLookupKey(`nothing-${randomUUID()}`)).toBeUndefined();
    });
  });
}
