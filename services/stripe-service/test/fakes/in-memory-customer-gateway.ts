import type { CustomerGateway, GatewayCustomer } from '../../src/application/ports/customer-gateway';

/**
 * For unit tests of use cases. It keeps Stripe's idempotency semantics that the use cases rely on
 * (same key replays the first result); the CustomerGateway contract suite proves it behaves like
 * StripeCustomerGateway on the simulator.
 */
export class InMemoryCustomerGateway implements CustomerGateway {
  readonly customers = new Map<string, GatewayCustomer>();
  private readonly replies = new Map<string, string>();
  private sequence = 0;
  /** Calls made, for tests that assert how often Stripe was reached. */
  createCustomerCalls = 0;

  async createCustomer(input: { userId: string; idempotencyKey: string }): Promise<GatewayCustomer> {
    this.createCustomerCalls += 1;
    const replay = this.replies.get(input.idempotencyKey);
    if (replay) return { ...this.customers.get(replay)! };
    this.sequence += 1;
    const customer: GatewayCustomer = { id: `cus_mem${String(this.sequence).padStart(10, '0')}`, email: undefined, userId: input.userId };
    this.customers.set(customer.id, customer);
    this.replies.set(input.idempotencyKey, customer.id);
    return { ...customer };
  }

  async findCustomerForUser(userId: string): Promise<GatewayCustomer | undefined> {
    for (const customer of this.customers.values()) {
      if (customer.userId === userId) return { ...customer };
    }
    return undefined;
  }

  async retrieveCustomer(id: string): Promise<GatewayCustomer | undefined> {
    const customer = this.customers.get(id);
    return customer ? { ...customer } : undefined;
  }

  async updateCustomerEmail(id: string, email: string | undefined): Promise<GatewayCustomer> {
    const customer = this.customers.get(id);
    if (!customer) throw new Error(`no such customer: ${id}`);
    const updated = { ...customer, email };
    this.customers.set(id, updated);
    return { ...updated };
  }
}
