import { captureProblem, mayBeCapturedBy } from '../../domain/payment';
import type { PaymentIntentGateway } from '../ports/payment-intent-gateway';
import { stripeIdempotencyKey } from '../shared/idempotency-keys';
import { isStripeStateRefusal, PaymentStateError } from './payment-errors';
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
    const refusal = problem && PaymentStateError.capture(problem, { paymentStatus: payment.status, amountCapturable: payment.amountCapturable });
    if (refusal && !mayBeCapturedBy(payment, input.amount)) throw refusal;
    // A captured payment may be this operation's own capture, made by an attempt that died before
    // its answer was stored. Only Stripe knows: under the operation's key it replays that capture,
    // and refuses any other, which is then answered as the local check would have.
    const intent = await this.intents
      .capturePaymentIntent(payment.stripePaymentIntentId, {
        ...(input.amount === undefined ? {} : { amountToCapture: input.amount }),
        idempotencyKey: stripeIdempotencyKey('payment-intent-capture', payment.paymentId, input.operationId),
      })
      .catch((error: unknown) => {
        throw refusal && isStripeStateRefusal(error, 'amount_to_capture') ? refusal : error;
      });
    return paymentView(await this.records.applyIntent(payment, intent));
  }
}
