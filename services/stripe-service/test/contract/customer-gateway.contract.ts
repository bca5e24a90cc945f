import { randomUUID } from 'node:crypto';
import type { CustomerGateway } from '../../src/application/ports/customer-gateway';
import { stripeContractSuite, type StripeBackend } from './stripe-contract-suite';

/** What every CustomerGateway must do: the in-memory fake and the Stripe adapter on every backend. */
export function customerGatewayContract(backend: StripeBackend<CustomerGateway>) {
  stripeContractSuite('CustomerGateway', backend, ({ gateway, statefulIt, statefully, key }) => {
    it('creates a customer tagged with the user id, and the same idempotency key replays it', async () => {
      const userId = `user-${randomUUID()}`;
      const idempotencyKey = key('customer');
      const created = await gateway().createCustomer({ userId, idempotencyKey });
      expect(created.id).toMatch(/^cus_/);
      const replay = await gateway().createCustomer({ userId, idempotencyKey });
      expect(replay.id).toMatch(/^cus_/);
      await statefully('metadata round-trips; the replay returns the same customer; it is found by user id only', async () => {
        expect(created).toEqual({ id: created.id, email: undefined, userId });
        expect(replay.id).toBe(created.id);
        expect(await gateway().retrieveCustomer(created.id)).toEqual(created);
        expect(await gateway().findCustomerForUser(userId)).toEqual(created);
        expect(await gateway().findCustomerForUser(`${userId}-other`)).toBeUndefined();
      });
    });

    it('sets, changes and clears the email', async () => {
      const userId = `user-${randomUUID()}`;
      const created = await gateway().createCustomer({ userId, idempotencyKey: key('customer') });
      const withEmail = await gateway().updateCustomerEmail(created.id, `${userId}@example.com`);
      expect(withEmail.id).toMatch(/^cus_/);
      await statefully('the email is set, found by user id under its new email, then cleared', async () => {
        expect(withEmail).toEqual({ id: created.id, email: `${userId}@example.com`, userId });
        expect(await gateway().findCustomerForUser(userId)).toEqual(withEmail);
        expect(await gateway().updateCustomerEmail(created.id, undefined)).toEqual({ id: created.id, email: undefined, userId });
      });
    });

    statefulIt('answers undefined for an unknown customer and an unknown user', 'fixtures answer every id', async () => {
      expect(await gateway().retrieveCustomer('cus_doesnotexist000000')).toBeUndefined();
      expect(await gateway().findCustomerForUser(`nobody-${randomUUID()}`)).toBeUndefined();
    });
  });
}
