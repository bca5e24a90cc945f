import type { CaptureMethod } from '../../domain/payment';

export interface GatewayCheckoutSession {
  id: string;
  url: string | undefined;
  status: 'open' | 'complete' | 'expired';
  mode: 'payment' | 'subscription';
  customerId: string | undefined;
  paymentIntentId: string | undefined;
  subscriptionId: string | undefined;
  /** Epoch seconds. */
  expiresAt: number;
}

export interface CreateCheckoutSessionRequest {
  mode: 'payment' | 'subscription';
  customerId: string;
  lineItems: { priceId: string; quantity: number }[];
  successUrl: string;
  cancelUrl: string;
  metadata?: Record<string, string>;
  captureMethod?: CaptureMethod;
  idempotencyKey: string;
}

/** The payment provider's hosted checkout. */
export interface CheckoutGateway {
  /** Opens a hosted checkout session; the same key replays the first one. */
  createCheckoutSession(input: CreateCheckoutSessionRequest): Promise<GatewayCheckoutSession>;
  /** Ends an open session so it can no longer be paid. */
  expireCheckoutSession(id: string): Promise<GatewayCheckoutSession>;
}

export const CHECKOUT_GATEWAY = Symbol.for('CheckoutGateway');
