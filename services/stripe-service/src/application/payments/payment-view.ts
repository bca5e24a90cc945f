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
    // Named one by one: the record keeps bookkeeping (when a failure was reported) that is not the owner's.
    refunds: payment.refunds.map((refund) => ({
      id: refund.id,
      amount: refund.amount,
      status: refund.status,
      reason: refund.reason ?? null,
      createdAt: refund.createdAt,
      ...(refund.failureReason !== undefined ? { failureReason: refund.failureReason } : {}),
    })),
    description: payment.description ?? null,
    metadata: payment.metadata,
    lastError: payment.lastError ?? null,
    cancellationReason: payment.cancellationReason ?? null,
    createdAt: payment.createdAt,
    updatedAt: payment.updatedAt,
  };
}

export type PaymentView = ReturnType<typeof paymentView>;
