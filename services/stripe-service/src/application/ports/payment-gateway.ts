/** A Stripe customer as the service needs it. */
export interface GatewayCustomer {
  id: string;
  email: string | undefined;
  userId: string | undefined;
}

/** The payment provider (Stripe). Every create carries an idempotency key chosen by the caller. */
export interface PaymentGateway {
  /** Creates a customer tagged with our user id. */
  createCustomer(input: { userId: string; email: string | undefined; idempotencyKey: string }): Promise<GatewayCustomer>;
  /** A customer previously created for this user, found through a strongly consistent list by email. */
  findCustomerForUser(userId: string, email: string | undefined): Promise<GatewayCustomer | undefined>;
  /** One customer by id, or undefined if Stripe does not know it (or it was deleted). */
  retrieveCustomer(id: string): Promise<GatewayCustomer | undefined>;
}

export const PAYMENT_GATEWAY = Symbol.for('PaymentGateway');
