import type Stripe from 'stripe';
import type { GatewayRefund, RefundGateway, RefundReason } from '../../application/ports/refund-gateway';
import { idOf, narrow, type StripeCaller } from './stripe-call';

/** Refunds on Stripe. */
export class StripeRefundGateway implements RefundGateway {
  constructor(private readonly stripe: StripeCaller) {}

  async createRefund(input: { paymentIntentId: string; amount?: number; reason?: RefundReason; metadata?: Record<string, string>; idempotencyKey: string }): Promise<GatewayRefund> {
    return this.stripe.call(async (stripe, options) =>
      toRefund(
        await stripe.refunds.create(
          {
            payment_intent: input.paymentIntentId,
            ...(input.amount === undefined ? {} : { amount: input.amount }),
            ...(input.reason ? { reason: input.reason } : {}),
            metadata: input.metadata ?? {},
          },
          { ...options, idempotencyKey: input.idempotencyKey },
        ),
      ),
    );
  }
}

function toRefund(refund: Stripe.Refund): GatewayRefund {
  return {
    id: refund.id,
    amount: refund.amount,
    currency: refund.currency,
    status: narrow(refund.status ?? 'pending', ['pending', 'requires_action', 'succeeded', 'failed', 'canceled'] as const, 'refund status'),
    paymentIntentId: idOf(refund.payment_intent),
    chargeId: idOf(refund.charge),
    reason: refund.reason ?? undefined,
    created: refund.created,
  };
}
