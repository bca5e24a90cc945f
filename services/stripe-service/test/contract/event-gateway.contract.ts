import { randomUUID } from 'node:crypto';
import { stripeContractSuite, type StripeBackend } from './stripe-contract-suite';
import type { Gateways } from './stripe-gateways';

type G = Pick<Gateways, 'customers' | 'intents' | 'events'>;

/** What every EventGateway must do, on each backend. */
export function eventGatewayContract(backend: StripeBackend<G>) {
  stripeContractSuite('EventGateway', backend, ({ gateway, statefully, key }) => {
    it('lists events newest first, filtered by type', async () => {
      const customer = await gateway().customers.createCustomer({ userId: `user-${randomUUID()}`, idempotencyKey: key('customer') });
      const paid = await gateway().intents.createPaymentIntent({
        amount: 700, currency: 'usd', customerId: customer.id, captureMethod: 'automatic', allowRedirects: false, paymentMethod: 'pm_card_visa', idempotencyKey: key('pi'),
      });
      const page = await gateway().events.listEvents({ types: ['payment_intent.succeeded'], limit: 10 });
      expect(page.events.length).toBeGreaterThan(0);
      await statefully('the payment just made appears as payment_intent.succeeded, newest first', () => {
        const objectId = (e: { payload: unknown }) => (e.payload as { data?: { object?: { id?: string } } }).data?.object?.id;
        expect(page.events.map(objectId)).toContain(paid.id);
        expect(page.events.every((e) => e.type === 'payment_intent.succeeded')).toBe(true);
        const created = page.events.map((e) => e.created);
        expect(created).toEqual([...created].sort((a, b) => b - a));
      });
    });
  });
}
