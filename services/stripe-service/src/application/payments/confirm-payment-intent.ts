import { DomainError } from '@shared/errors/domain-error';
import { confirmProblem } from '../../domain/payment';
import type { PaymentIntentGateway } from '../ports/payment-intent-gateway';
import { stripeIdempotencyKey } from '../shared/idempotency-keys';
import { PaymentStateError } from './payment-errors';
import type { PaymentRecords } from './payment-records';

export interface ConfirmPaymentIntentOutput {
  paymentId: string;
  paymentIntentId: string;
  status: string;
  /** Present when the payer must act (3-D Secure): the client completes it with Stripe.js. */
  nextAction: { type: string; redirectUrl: string | null } | null;
}

/** Confirms a pending or failed payment, optionally with a new payment method. */
export class ConfirmPaymentIntent {
  constructor(
    private readonly intents: PaymentIntentGateway,
    private readonly records: PaymentRecords,
  ) {}

  async execute(input: { userId: string; id: string; paymentMethod?: string; operationId: string }): Promise<ConfirmPaymentIntentOutput> {
    const payment = await this.records.refresh(await this.records.load(input.userId, input.id));
    const problem = confirmProblem(payment);
    if (problem) throw PaymentStateError.confirm(problem, { paymentStatus: payment.status });
    try {
      const intent = await this.intents.confirmPaymentIntent(payment.stripePaymentIntentId, {
        ...(input.paymentMethod ? { paymentMethod: input.paymentMethod } : {}),
        idempotencyKey: stripeIdempotencyKey('payment-intent-confirm', payment.paymentId, input.operationId),
      });
      const stored = await this.records.applyIntent(payment, intent);
      return {
        paymentId: stored.paymentId,
        paymentIntentId: stored.stripePaymentIntentId,
        status: stored.status,
        nextAction: intent.nextAction ? { type: intent.nextAction.type, redirectUrl: intent.nextAction.redirectUrl ?? null } : null,
      };
    } catch (error) {
      // A decline leaves the intent failed at Stripe; the record says so before the caller hears of it.
      if (error instanceof DomainError && error.kind === 'payment_required') await this.records.refresh(payment);
      throw error;
    }
  }
}
