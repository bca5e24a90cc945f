import type { CaptureMethod, IntentStatus } from '../../domain/payment';

/** A payment intent as the use cases see it: our status vocabulary, amounts in minor units. */
export interface GatewayPaymentIntent {
  id: string;
  status: IntentStatus;
  amount: number;
  amountCapturable: number;
  amountReceived: number;
  /** Refunded so far on the intent's charge; 0 when the charge is not known. */
  amountRefunded: number;
  currency: string;
  captureMethod: CaptureMethod;
  customerId: string | undefined;
  clientSecret: string | undefined;
  description: string | undefined;
  metadata: Record<string, string>;
  latestChargeId: string | undefined;
  nextAction: { type: string; redirectUrl: string | undefined } | undefined;
  lastError: { code: string | undefined; declineCode: string | undefined; message: string | undefined } | undefined;
  cancellationReason: string | undefined;
  /** Epoch seconds, as the provider reports it. */
  created: number;
}

export interface CreatePaymentIntentRequest {
  amount: number;
  currency: string;
  customerId: string;
  captureMethod: CaptureMethod;
  description?: string;
  metadata?: Record<string, string>;
  /** False limits the intent to methods that never redirect the payer away (server-side confirmation). */
  allowRedirects: boolean;
  /** Confirm at once with this payment method (e.g. `pm_card_visa` in test mode). */
  paymentMethod?: string;
  returnUrl?: string;
  idempotencyKey: string;
}

export type CancellationReason = 'duplicate' | 'fraudulent' | 'requested_by_customer' | 'abandoned';

/** The payment provider's payment intents. */
export interface PaymentIntentGateway {
  /** Creates an intent; the same key replays the first creation. */
  createPaymentIntent(input: CreatePaymentIntentRequest): Promise<GatewayPaymentIntent>;
  /** Confirms an intent, optionally with a payment method. */
  confirmPaymentIntent(id: string, input: { paymentMethod?: string; returnUrl?: string; idempotencyKey: string }): Promise<GatewayPaymentIntent>;
  /** Captures an authorization; a smaller `amountToCapture` releases the rest. */
  capturePaymentIntent(id: string, input: { amountToCapture?: number; idempotencyKey: string }): Promise<GatewayPaymentIntent>;
  /** Cancels an intent or releases an uncaptured authorization. */
  cancelPaymentIntent(id: string, input: { reason?: CancellationReason; idempotencyKey: string }): Promise<GatewayPaymentIntent>;
  /** One intent with what has been refunded of it, or undefined when the provider does not know it. */
  retrievePaymentIntent(id: string): Promise<GatewayPaymentIntent | undefined>;
}

export const PAYMENT_INTENT_GATEWAY = Symbol.for('PaymentIntentGateway');
