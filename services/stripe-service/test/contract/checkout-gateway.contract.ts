import { randomUUID } from 'node:crypto';
import { stripeContractSuite, type StripeBackend } from './stripe-contract-suite';
import type { Gateways } from './stripe-gateways';

type G = Pick<Gateways, 'customers' | 'catalog' | 'checkout'>;

/** What every CheckoutGateway must do, on each backend. */
export function checkoutGatewayContract(backend: StripeBackend<G>) {
  stripeContractSuite('CheckoutGateway', backend, ({ gateway, statefully, key }) => {
    it('opens a payment session for a price and expires it', async () => {
      const productId = `prod_${randomUUID().replaceAll('-', '').slice(0, 14)}`;
      await gateway().catalog.createProduct({ id: productId, name: 'Pro plan', active: true, idempotencyKey: key('product') });
      const price = await gateway().catalog.createPrice({ lookupKey: `plan-${randomUUID()}`, productId, unitAmount: 1200, currency: 'usd', idempotencyKey: key('price') });
      const customer = await gateway().customers.createCustomer({ userId: `user-${randomUUID()}`, idempotencyKey: key('customer') });
      const session = await gateway().checkout.createCheckoutSession({
        mode: 'payment', customerId: customer.id, lineItems: [{ priceId: price.id, quantity: 2 }],
        successUrl: 'https://example.com/ok?session={CHECKOUT_SESSION_ID}', cancelUrl: 'https://example.com/cancel', metadata: { userId: 'u1' }, idempotencyKey: key('cs'),
      });
      expect(session.id).toMatch(/^cs_/);
      const expired = await gateway().checkout.expireCheckoutSession(session.id);
      expect(expired.id).toMatch(/^cs_/);
      await statefully('the session is open with a url for this customer, then expired', () => {
        expect(session).toMatchObject({ status: 'open', mode: 'payment', customerId: customer.id });
        expect(session.url).toMatch(/^https?:\/\//);
        expect(expired).toMatchObject({ id: session.id, status: 'expired' });
      });
    });
  });
}
