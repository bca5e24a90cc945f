import type { SyncProductPrice } from '../catalog/sync-product-price';
import type { GetOrCreateCustomer } from '../customers/get-or-create-customer';
import type { CheckoutGateway } from '../ports/checkout-gateway';
import { stripeIdempotencyKey } from '../shared/idempotency-keys';

export interface CreateCheckoutSessionInput {
  userId: string;
  email: string | undefined;
  role: string;
  priceId: string;
  quantity: number;
  successUrl: string;
  cancelUrl: string;
  /** The same for every attempt under one client Idempotency-Key, so a retry opens the same session. */
  operationId: string;
}

export interface CreateCheckoutSessionOutput {
  checkoutUrl: string;
  checkoutSessionId: string;
  customerId: string;
  mode: 'payment' | 'subscription';
  paymentIntentId: string | null;
}

/**
 * Opens a Stripe-hosted checkout for one of our prices: the caller's customer first, then the price
 * (and its product) synced to Stripe if it never was, then the session, in subscription mode for a
 * recurring price. The session and what it creates carry our user id, for the webhooks.
 */
export class CreateCheckoutSession {
  constructor(
    private readonly customers: GetOrCreateCustomer,
    private readonly syncPrice: SyncProductPrice,
    private readonly checkout: CheckoutGateway,
  ) {}

  async execute(input: CreateCheckoutSessionInput): Promise<CreateCheckoutSessionOutput> {
    const synced = await this.syncPrice.execute(input.priceId);
    const { customer } = await this.customers.execute({ userId: input.userId, email: input.email, role: input.role });
    const mode = synced.price.recurring ? 'subscription' : 'payment';
    const checkoutId = `chk_${input.operationId}`;
    const session = await this.checkout.createCheckoutSession({
      mode,
      customerId: customer.stripeCustomerId,
      lineItems: [{ priceId: synced.stripePriceId, quantity: input.quantity }],
      successUrl: input.successUrl,
      cancelUrl: input.cancelUrl,
      metadata: { userId: input.userId, checkoutId, localPriceId: input.priceId },
      idempotencyKey: stripeIdempotencyKey('checkout-session-create', checkoutId),
    });
    if (!session.url) throw new Error(`checkout session ${session.id} has no url`);
    return { checkoutUrl: session.url, checkoutSessionId: session.id, customerId: customer.stripeCustomerId, mode, paymentIntentId: session.paymentIntentId ?? null };
  }
}
