import type Stripe from 'stripe';
import type { CustomerGateway, GatewayCustomer } from '../../application/ports/customer-gateway';
import type { StripeCaller } from './stripe-call';

/** Customers on Stripe, tagged with our user id in `metadata.userId`. */
export class StripeCustomerGateway implements CustomerGateway {
  constructor(private readonly stripe: StripeCaller) {}

  async createCustomer(input: { userId: string; idempotencyKey: string }): Promise<GatewayCustomer> {
    return this.stripe.call(async (stripe, options) =>
      toCustomer(await stripe.customers.create({ metadata: { userId: input.userId } }, { ...options, idempotencyKey: input.idempotencyKey })),
    );
  }

  async findCustomerForUser(userId: string): Promise<GatewayCustomer | undefined> {
    // Search is the only lookup by metadata. Its index lags by up to a minute, which is why callers
    // rely first on the creation key (replayed for 24 h); this finds what an older attempt left.
    return this.stripe.call(async (stripe, options) => {
      const query = `metadata['userId']:'${userId.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
      const result = await stripe.customers.search({ query, limit: 10 }, options);
      const customer = result.data.filter((c) => c.metadata?.userId === userId).sort((a, b) => a.created - b.created)[0];
      return customer ? toCustomer(customer) : undefined;
    });
  }

  async retrieveCustomer(id: string): Promise<GatewayCustomer | undefined> {
    return this.stripe.callOrUndefined(async (stripe, options) => {
      const customer = await stripe.customers.retrieve(id, {}, options);
      return customer.deleted ? undefined : toCustomer(customer);
    });
  }

  async updateCustomerEmail(id: string, email: string | undefined): Promise<GatewayCustomer> {
    // An empty string is how Stripe's form encoding clears a field.
    return this.stripe.call(async (stripe, options) => toCustomer(await stripe.customers.update(id, { email: email ?? '' }, options)));
  }
}

function toCustomer(customer: Stripe.Customer): GatewayCustomer {
  return { id: customer.id, email: customer.email ?? undefined, userId: customer.metadata?.userId };
}
