import { mayBeRefundedBy, refundableAmount, refundProblem, withRefund } from '../../domain/payment';
import type { RefundGateway, RefundReason } from '../ports/refund-gateway';
import { stripeIdempotencyKey } from '../shared/idempotency-keys';
import { isStripeStateRefusal, PaymentStateError } from './payment-errors';
import type { PaymentRecords } from './payment-records';
import { paymentView, type PaymentView } from './payment-view';

export interface RefundPaymentOutput {
  refund: { id: string; amount: number; status: string; reason: string | null; createdAt: string };
  payment: PaymentView;
}

/** Refunds all that remains of a succeeded payment, or part of it; several partial refunds add up to at most what was captured. */
export class RefundPayment {
  constructor(
    private readonly refunds: RefundGateway,
    private readonly records: PaymentRecords,
  ) {}

  async execute(input: { userId: string; id: string; amount?: number; reason?: RefundReason; operationId: string }): Promise<RefundPaymentOutput> {
    const payment = await this.records.refresh(await this.records.load(input.userId, input.id));
    const problem = refundProblem(payment, input.amount);
    const refusal = problem && PaymentStateError.refund(problem, { paymentStatus: payment.status, refundable: refundableAmount(payment) });
    if (refusal && !mayBeRefundedBy(payment, input.amount)) throw refusal;
    // What is refunded already may hold this operation's own refund, made by an attempt that died
    // before its answer was stored. Only Stripe knows: under the operation's key it replays that
    // refund, and refuses any other, which is then answered as the local check would have.
    const refund = await this.refunds
      .createRefund({
        paymentIntentId: payment.stripePaymentIntentId,
        ...(input.amount === undefined ? {} : { amount: input.amount }),
        ...(input.reason ? { reason: input.reason } : {}),
        metadata: { userId: input.userId, paymentId: payment.paymentId },
        idempotencyKey: stripeIdempotencyKey('refund-create', payment.paymentId, input.operationId),
      })
      .catch((error: unknown) => {
        throw refusal && isStripeStateRefusal(error, 'amount') ? refusal : error;
      });
    const record = { id: refund.id, amount: refund.amount, status: refund.status, reason: refund.reason, createdAt: new Date(refund.created * 1000).toISOString() };
    const stored = await this.records.mutate(payment, (current) => withRefund(current, record, this.records.nowIso()));
    return { refund: { ...record, reason: record.reason ?? null }, payment: paymentView(stored) };
  }
}
