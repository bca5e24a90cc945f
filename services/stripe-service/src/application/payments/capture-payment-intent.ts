import { captureProblem } from '../../domain/payment';
import type { PaymentIntentGateway } from '../ports/payment-intent-gateway';
import { stripeIdempotencyKey } from '../shared/idempotency-keys';
import { PaymentStateError } from './payment-errors';
import type { PaymentRecords } from './payment-records';
import { paymentView, type PaymentView } from './payment-view';

/** Captures all or part of a pre-authorization; the rest is released. */
export class CapturePaymentIntent {
  constructor(
    private readonly intents: PaymentIntentGateway,
    private readonly records: PaymentRecords,
  ) {}

  async execute(input: { userId: string; id: string; amount?: number; operationId: string }): Promise<PaymentView> {
    const payment = await this.records.refresh(await this.records.load(input.userId, input.id));
    const problem = captureProblem(payment, input.amount);
    if (problem) throw PaymentStateError.capture(problem, { status: payment.status, amountCapturable: payment.amountCapturable });
    const intent = await this.intents.capturePaymentIntent(payment.stripePaymentIntentId, {
      ...(input.amount === undefined ? {} : { amountToCapture: input.amount }),
      idempotencyKey: stripeIdempotencyKey('payment-intent-capture', payment.paymentId, input.operationId),
    });
    return paymentView(await this.records.applyIntent(payment, intent));
  }
}
