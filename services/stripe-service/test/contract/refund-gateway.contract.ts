import { randomUUID } from 'node:crypto';
import { stripeContractSuite, type StripeBackend } from './stripe-contract-suite';
import type { Gateways } from './stripe-gateways';

type G = Pick<Gateways, 'customers' | 'intents' | 'refunds'>;

/** What every RefundGateway must do, on each backend. */
export function refundGatewayContract(backend: StripeBackend<G>) {
  stripeContractSuite('RefundGateway', backend, ({ gateway, statefully, key }) => {
    it('refunds in parts, replays a refund under its key, and refuses to refund more than was paid', async () => {
      const customer = await gateway().customers.createCustomer({ userId: `user-${randomUUID()}`, idempotencyKey: key('customer') });
      const paid = await gateway().intents.createPaymentIntent({
        amount: 3000, currency: 'usd', customerId: customer.id, captureMethod: 'automatic', allowRedirects: false, paymentMethod: 'pm_card_visa', idempotencyKey: key('pi'),
      });
      const firstKey = key('refund');
      const first = await gateway().refunds.createRefund({ paymentIntentId: paid.id, amount: 1000, reason: 'requested_by_customer', idempotencyKey: firstKey });
      expect(first.id).toMatch(/^re_/);
      await statefully('partial refunds add up to the amount paid; a replay is not a second refund; a further refund is a state conflict', async () => {
        expect(first).toMatchObject({ amount: 1000, currency: 'usd', status: 'succeeded', paymentIntentId: paid.id, reason: 'requested_by_customer' });
        expect((await gateway().refunds.createRefund({ paymentIntentId: paid.id, amount: 1000, reason: 'requested_by_customer', idempotencyKey: firstKey })).id).toBe(first.id);
        expect((await gateway().intents.retrievePaymentIntent(paid.id))?.amountRefunded).toBe(1000);
        const rest = await gateway().refunds.createRefund({ paymentIntentId: paid.id, idempotencyKey: key('refund') });
        expect(rest.amount).toBe(2000);
        await expect(gateway().refunds.createRefund({ paymentIntentId: paid.id, amount: 1, idempotencyKey: key('refund') })).rejects.toMatchObject({ kind: 'conflict' });
      });
    });
  });
}
