import type { Payment } from '../../domain/payment';

/** How a payment is shown to its owner. */
export function paymentView(payment: Payment) {
  return {
    paymentId: payment.paymentId,
    paymentIntentId: payment.stripePaymentIntentId,
    customerId: payment.stripeCustomerId,
    status: payment.status,
    amount: payment.amount,
    currency: payment.currency,
    captureMethod: payment.captureMethod,
    amountCapturable: payment.amountCapturable,
    amountReceived: payment.amountReceived,
    amountRefunded: payment.amountRefunded,
    refunds: payment.refunds.map((refund) => ({ ...refund, reason: refund.reason ?? null })),
    description: payment.description ?? null,
    metadata: payment.metadata,
    lastError: payment.lastError ?? null,
    cancellationReason: payment.cancellationReason ?? null,
    createdAt: payment.createdAt,
    updatedAt: payment.updatedAt,
  };
}

export type PaymentView = ReturnType<typeof paymentView>;
