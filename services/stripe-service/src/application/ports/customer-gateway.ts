/** A Stripe customer as the service needs it. */
export interface GatewayCustomer {
  id: string;
  email: string | undefined;
  userId: string | undefined;
}

/** The payment provider's customers. */
export interface CustomerGateway {
  /** Creates a customer tagged with our user id (nothing else, so a replay under the same key always matches); the same key replays the first creation. */
  createCustomer(input: { userId: string; idempotencyKey: string }): Promise<GatewayCustomer>;
  /** A customer previously created for this user (tagged with the user id), whatever its email is now. */
  findCustomerForUser(userId: string): Promise<GatewayCustomer | undefined>;
  /** One customer by id, or undefined if the provider does not know it (or it was deleted). */
  retrieveCustomer(id: string): Promise<GatewayCustomer | undefined>;
  /** Brings the provider's copy of the customer's email in line with ours. */
  updateCustomerEmail(id: string, email: string | undefined): Promise<GatewayCustomer>;
}

export const CUSTOMER_GATEWAY = Symbol.for('CustomerGateway');
