import { cancelProblem } from '../../domain/payment';
import type { CancellationReason, PaymentIntentGateway } from '../ports/payment-intent-gateway';
import { stripeIdempotencyKey } from '../shared/idempotency-keys';
import { PaymentStateError } from './payment-errors';
import type { PaymentRecords } from './payment-records';
import { paymentView, type PaymentView } from './payment-view';

/** Cancels a payment not yet taken, releasing a pre-authorization. Canceling a canceled payment answers it as it is. */
export class CancelPaymentIntent {
  constructor(
    private readonly intents: PaymentIntentGateway,
    private readonly records: PaymentRecords,
  ) {}

  async execute(input: { userId: string; id: string; reason?: CancellationReason; operationId: string }): Promise<PaymentView> {
    const payment = await this.records.refresh(await this.records.load(input.userId, input.id));
    if (payment.status === 'canceled') return paymentView(payment);
    const problem = cancelProblem(payment);
    if (problem) throw PaymentStateError.cancel(problem, { paymentStatus: payment.status });
    const intent = await this.intents.cancelPaymentIntent(payment.stripePaymentIntentId, {
      ...(input.reason ? { reason: input.reason } : {}),
      idempotencyKey: stripeIdempotencyKey('payment-intent-cancel', payment.paymentId, input.operationId),
    });
    return paymentView(await this.records.applyIntent(payment, intent));
  }
}
