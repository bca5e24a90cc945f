import type Stripe from 'stripe';
import type { CheckoutGateway, CreateCheckoutSessionRequest, GatewayCheckoutSession } from '../../application/ports/checkout-gateway';
import { idOf, narrow, type StripeCaller } from './stripe-call';

/** Stripe Checkout sessions. */
export class StripeCheckoutGateway implements CheckoutGateway {
  constructor(private readonly stripe: StripeCaller) {}

  async createCheckoutSession(input: CreateCheckoutSessionRequest): Promise<GatewayCheckoutSession> {
    const metadata = input.metadata ?? {};
    return this.stripe.call(async (stripe, options) =>
      toCheckoutSession(
        await stripe.checkout.sessions.create(
          {
            mode: input.mode,
            customer: input.customerId,
            line_items: input.lineItems.map((item) => ({ price: item.priceId, quantity: item.quantity })),
            success_url: input.successUrl,
            cancel_url: input.cancelUrl,
            metadata,
            // The intent or subscription carries the same metadata, so its webhooks name our user.
            ...(input.mode === 'payment'
              ? { payment_intent_data: { metadata, ...(input.captureMethod ? { capture_method: input.captureMethod } : {}) } }
              : { subscription_data: { metadata } }),
          },
          { ...options, idempotencyKey: input.idempotencyKey },
        ),
      ),
    );
  }

  async expireCheckoutSession(id: string): Promise<GatewayCheckoutSession> {
    return this.stripe.call(async (stripe, options) => toCheckoutSession(await stripe.checkout.sessions.expire(id, {}, options)));
  }
}

function toCheckoutSession(session: Stripe.Checkout.Session): GatewayCheckoutSession {
  return {
    id: session.id,
    url: session.url ?? undefined,
    status: narrow(session.status ?? 'open', ['open', 'complete', 'expired'] as const, 'checkout session status'),
    mode: session.mode === 'subscription' ? 'subscription' : 'payment',
    customerId: idOf(session.customer),
    paymentIntentId: idOf(session.payment_intent),
    subscriptionId: idOf(session.subscription),
    expiresAt: session.expires_at,
  };
}
