export type RefundReason = 'duplicate' | 'fraudulent' | 'requested_by_customer';

export interface GatewayRefund {
  id: string;
  amount: number;
  currency: string;
  status: 'pending' | 'requires_action' | 'succeeded' | 'failed' | 'canceled';
  paymentIntentId: string | undefined;
  chargeId: string | undefined;
  reason: string | undefined;
  /** Epoch seconds. */
  created: number;
}

/** The payment provider's refunds. */
export interface RefundGateway {
  /** Refunds all that remains of a payment, or `amount` of it; the same key replays the first refund. */
  createRefund(input: { paymentIntentId: string; amount?: number; reason?: RefundReason; metadata?: Record<string, string>; idempotencyKey: string }): Promise<GatewayRefund>;
}

export const REFUND_GATEWAY = Symbol.for('RefundGateway');
