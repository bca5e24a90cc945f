import type Stripe from 'stripe';
import type { GatewayCustomer, PaymentGateway } from '../../application/ports/payment-gateway';
import { mapStripeError } from './stripe-error-mapper';

/** The PaymentGateway on the official SDK. The key is read per call so a rotated secret is used once the cache refreshes. */
export class StripePaymentGateway implements PaymentGateway {
  constructor(
    private readonly stripe: Stripe,
    private readonly apiKey: () => Promise<string>,
  ) {}

  async createCustomer(input: { userId: string; email: string | undefined; idempotencyKey: string }): Promise<GatewayCustomer> {
    return this.call(async (apiKey) => {
      const customer = await this.stripe.customers.create(
        { email: input.email, metadata: { userId: input.userId } },
        { apiKey, idempotencyKey: input.idempotencyKey },
      );
      return toGatewayCustomer(customer);
    });
  }

  async findCustomerForUser(userId: string, email: string | undefined): Promise<GatewayCustomer | undefined> {
    // Listing by email is strongly consistent, unlike search; without an email there is nothing reliable to look up.
    if (email === undefined) return undefined;
    return this.call(async (apiKey) => {
      for await (const customer of this.stripe.customers.list({ email, limit: 100 }, { apiKey })) {
        if (customer.metadata?.userId === userId) return toGatewayCustomer(customer);
      }
      return undefined;
    });
  }

  async retrieveCustomer(id: string): Promise<GatewayCustomer | undefined> {
    return this.call(async (apiKey) => {
      try {
        const customer = await this.stripe.customers.retrieve(id, {}, { apiKey });
        return customer.deleted ? undefined : toGatewayCustomer(customer);
      } catch (error) {
        if (error instanceof Error && 'code' in error && error.code === 'resource_missing') return undefined;
        throw error;
      }
    });
  }

  private async call<T>(operation: (apiKey: string) => Promise<T>): Promise<T> {
    const apiKey = await this.apiKey();
    try {
      return await operation(apiKey);
    } catch (error) {
      throw mapStripeError(error);
    }
  }
}

function toGatewayCustomer(customer: Stripe.Customer): GatewayCustomer {
  return { id: customer.id, email: customer.email ?? undefined, userId: customer.metadata?.userId };
}
