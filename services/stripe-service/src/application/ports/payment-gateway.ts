/**
 * The payment provider (Stripe), split by role so each use case depends only on what it calls.
 * Amounts are integer minor units; every create carries an idempotency key chosen by the caller,
 * derived from our own identifiers, so retries never charge or create twice.
 */

/** A Stripe customer as the service needs it. */
export interface GatewayCustomer {
  id: string;
  email: string | undefined;
  userId: string | undefined;
}

export interface CustomerGateway {
  /** Creates a customer tagged with our user id. */
  createCustomer(input: { userId: string; email: string | undefined; idempotencyKey: string }): Promise<GatewayCustomer>;
  /** A customer previously created for this user, found through a strongly consistent list by email. */
  findCustomerForUser(userId: string, email: string | undefined): Promise<GatewayCustomer | undefined>;
  /** One customer by id, or undefined if the provider does not know it (or it was deleted). */
  retrieveCustomer(id: string): Promise<GatewayCustomer | undefined>;
}

export type PaymentIntentStatus =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'requires_action'
  | 'processing'
  | 'requires_capture'
  | 'canceled'
  | 'succeeded';

export type CaptureMethod = 'automatic' | 'manual';

export interface GatewayPaymentIntent {
  id: string;
  status: PaymentIntentStatus;
  amount: number;
  amountCapturable: number;
  amountReceived: number;
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
  created: number;
}

export interface CreatePaymentIntentInput {
  amount: number;
  currency: string;
  customerId: string;
  captureMethod: CaptureMethod;
  description?: string;
  metadata?: Record<string, string>;
  /** Confirm at once with this payment method (e.g. `pm_card_visa` in test mode). */
  paymentMethod?: string;
  returnUrl?: string;
  idempotencyKey: string;
}

export type CancellationReason = 'duplicate' | 'fraudulent' | 'requested_by_customer' | 'abandoned';

export interface PaymentIntentGateway {
  createPaymentIntent(input: CreatePaymentIntentInput): Promise<GatewayPaymentIntent>;
  confirmPaymentIntent(id: string, input: { paymentMethod?: string; returnUrl?: string; idempotencyKey: string }): Promise<GatewayPaymentIntent>;
  /** Captures an authorization; a smaller `amountToCapture` releases the rest. */
  capturePaymentIntent(id: string, input: { amountToCapture?: number; idempotencyKey: string }): Promise<GatewayPaymentIntent>;
  /** Cancels an intent or releases an uncaptured authorization. */
  cancelPaymentIntent(id: string, input: { reason?: CancellationReason; idempotencyKey: string }): Promise<GatewayPaymentIntent>;
  /** One intent, or undefined when the provider does not know it. */
  retrievePaymentIntent(id: string): Promise<GatewayPaymentIntent | undefined>;
}

export type RefundReason = 'duplicate' | 'fraudulent' | 'requested_by_customer';

export interface GatewayRefund {
  id: string;
  amount: number;
  currency: string;
  status: 'pending' | 'requires_action' | 'succeeded' | 'failed' | 'canceled';
  paymentIntentId: string | undefined;
  chargeId: string | undefined;
  reason: string | undefined;
  created: number;
}

export interface RefundGateway {
  /** Refunds all that remains of a payment, or `amount` of it. */
  createRefund(input: { paymentIntentId: string; amount?: number; reason?: RefundReason; metadata?: Record<string, string>; idempotencyKey: string }): Promise<GatewayRefund>;
}

export interface GatewayCheckoutSession {
  id: string;
  url: string | undefined;
  status: 'open' | 'complete' | 'expired';
  mode: 'payment' | 'subscription';
  customerId: string | undefined;
  paymentIntentId: string | undefined;
  subscriptionId: string | undefined;
  expiresAt: number;
}

export interface CheckoutGateway {
  createCheckoutSession(input: {
    mode: 'payment' | 'subscription';
    customerId: string;
    lineItems: { priceId: string; quantity: number }[];
    successUrl: string;
    cancelUrl: string;
    metadata?: Record<string, string>;
    captureMethod?: CaptureMethod;
    idempotencyKey: string;
  }): Promise<GatewayCheckoutSession>;
  /** Ends an open session so it can no longer be paid. */
  expireCheckoutSession(id: string): Promise<GatewayCheckoutSession>;
}

export interface GatewayProduct {
  id: string;
  name: string;
  active: boolean;
  metadata: Record<string, string>;
}

export interface GatewayPrice {
  id: string;
  productId: string;
  unitAmount: number;
  currency: string;
  recurring: { interval: 'day' | 'week' | 'month' | 'year'; intervalCount: number } | undefined;
  lookupKey: string | undefined;
  active: boolean;
}

export interface CatalogGateway {
  /** Creates the product under `id` or brings it in line with the input; safe to repeat. */
  ensureProduct(input: { id: string; name: string; description?: string; active: boolean; metadata?: Record<string, string> }): Promise<GatewayProduct>;
  /**
   * Returns the active price with this lookup key if it matches; otherwise creates one (prices are
   * immutable) that takes the lookup key over, and archives the one it replaces.
   */
  ensurePrice(input: {
    lookupKey: string;
    productId: string;
    unitAmount: number;
    currency: string;
    recurring?: { interval: 'day' | 'week' | 'month' | 'year'; intervalCount: number };
    metadata?: Record<string, string>;
    idempotencyKey: string;
  }): Promise<GatewayPrice>;
  findPriceByLookupKey(lookupKey: string): Promise<GatewayPrice | undefined>;
}

export interface GatewayEvent {
  id: string;
  type: string;
  created: number;
  /** The event as the provider sent it, for the worker to interpret. */
  payload: unknown;
}

export interface EventGateway {
  /** Events newest first, for backfilling missed webhooks. */
  listEvents(input: { types?: string[]; createdAfter?: number; startingAfter?: string; limit: number }): Promise<{ events: GatewayEvent[]; hasMore: boolean }>;
}

/** Everything the service asks of Stripe; StripePaymentGateway implements it all. */
export type PaymentGateway = CustomerGateway & PaymentIntentGateway & RefundGateway & CheckoutGateway & CatalogGateway & EventGateway;

export const PAYMENT_GATEWAY = Symbol.for('PaymentGateway');
export const CUSTOMER_GATEWAY = Symbol.for('CustomerGateway');
