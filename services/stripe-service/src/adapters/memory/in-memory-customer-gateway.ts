import type { CustomerGateway, GatewayCustomer } from '../../application/ports/payment-gateway';

/**
 * For unit tests of use cases. It keeps Stripe's idempotency semantics that the use cases rely on
 * (same key replays the first result); the CustomerGateway contract suite proves it behaves like
 * StripePaymentGateway on the simulator.
 */
export class InMemoryCustomerGateway implements CustomerGateway {
  readonly customers = new Map<string, GatewayCustomer>();
  private readonly replies = new Map<string, GatewayCustomer>();
  private sequence = 0;
  /** Calls made, for tests that assert how often Stripe was reached. */
  createCustomerCalls = 0;

  async createCustomer(input: { userId: string; email: string | undefined; idempotencyKey: string }): Promise<GatewayCustomer> {
    this.createCustomerCalls += 1;
    const replay = this.replies.get(input.idempotencyKey);
    if (replay) return { ...replay };
    this.sequence += 1;
    const customer: GatewayCustomer = { id: `cus_mem${String(this.sequence).padStart(10, '0')}`, email: input.email, userId: input.userId };
    this.customers.set(customer.id, customer);
    this.replies.set(input.idempotencyKey, customer);
    return { ...customer };
  }

  async findCustomerForUser(userId: string, email: string | undefined): Promise<GatewayCustomer | undefined> {
    if (email === undefined) return undefined;
    for (const customer of this.customers.values()) {
      if (customer.email === email && customer.userId === userId) return { ...customer };
    }
    return undefined;
  }

  async retrieveCustomer(id: string): Promise<GatewayCustomer | undefined> {
    const customer = this.customers.get(id);
    return customer ? { ...customer } : undefined;
  }
}
