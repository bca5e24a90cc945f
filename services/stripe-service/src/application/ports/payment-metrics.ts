/** Business and dependency metrics of payments (CloudWatch EMF in AWS). */
export interface PaymentMetrics {
  /** A payment request refused as invalid (400). */
  invalidPaymentRequest(): void;
  /** A payment reached `succeeded` (counted once per payment, on the transition). */
  successfulPayment(currency: string, amount: number): void;
  /** A payment attempt failed (a decline), counted on the transition to `failed`. */
  failedPayment(): void;
  /** One Stripe API call, how long it took and whether it succeeded. */
  stripeCall(durationMs: number, ok: boolean): void;
}

export const PAYMENT_METRICS = Symbol.for('PaymentMetrics');
