import type Stripe from 'stripe';
import type {
  CancellationReason,
  CreatePaymentIntentRequest,
  GatewayPaymentIntent,
  PaymentIntentGateway,
} from '../../application/ports/payment-intent-gateway';
import type { IntentStatus } from '../../domain/payment';
import { idOf, narrow, type StripeCaller } from './stripe-call';

/** Payment intents on Stripe; Stripe's statuses are translated to ours here and nowhere else. */
export class StripePaymentIntentGateway implements PaymentIntentGateway {
  constructor(private readonly stripe: StripeCaller) {}

  async createPaymentIntent(input: CreatePaymentIntentRequest): Promise<GatewayPaymentIntent> {
    return this.stripe.call(async (stripe, options) => {
      const intent = await stripe.paymentIntents.create(
        {
          amount: input.amount,
          currency: input.currency,
          customer: input.customerId,
          capture_method: input.captureMethod,
          ...(input.description ? { description: input.description } : {}),
          metadata: input.metadata ?? {},
          automatic_payment_methods: { enabled: true, ...(input.allowRedirects ? {} : { allow_redirects: 'never' as const }) },
          // Stripe accepts `return_url` only with `confirm=true`; an unconfirmed intent takes it at confirm.
          ...(input.paymentMethod
            ? { payment_method: input.paymentMethod, confirm: true, ...(input.returnUrl ? { return_url: input.returnUrl } : {}) }
            : {}),
          expand: ['latest_charge'],
        },
        { ...options, idempotencyKey: input.idempotencyKey },
      );
      return toPaymentIntent(intent);
    });
  }

  async confirmPaymentIntent(id: string, input: { paymentMethod?: string; returnUrl?: string; idempotencyKey: string }): Promise<GatewayPaymentIntent> {
    return this.stripe.call(async (stripe, options) =>
      toPaymentIntent(
        await stripe.paymentIntents.confirm(
          id,
          {
            ...(input.paymentMethod ? { payment_method: input.paymentMethod } : {}),
            ...(input.returnUrl ? { return_url: input.returnUrl } : {}),
            expand: ['latest_charge'],
          },
          { ...options, idempotencyKey: input.idempotencyKey },
        ),
      ),
    );
  }

  async capturePaymentIntent(id: string, input: { amountToCapture?: number; idempotencyKey: string }): Promise<GatewayPaymentIntent> {
    return this.stripe.call(async (stripe, options) =>
      toPaymentIntent(
        await stripe.paymentIntents.capture(
          id,
          { ...(input.amountToCapture === undefined ? {} : { amount_to_capture: input.amountToCapture }), expand: ['latest_charge'] },
          { ...options, idempotencyKey: input.idempotencyKey },
        ),
      ),
    );
  }

  async cancelPaymentIntent(id: string, input: { reason?: CancellationReason; idempotencyKey: string }): Promise<GatewayPaymentIntent> {
    return this.stripe.call(async (stripe, options) =>
      toPaymentIntent(
        await stripe.paymentIntents.cancel(
          id,
          { ...(input.reason ? { cancellation_reason: input.reason } : {}), expand: ['latest_charge'] },
          { ...options, idempotencyKey: input.idempotencyKey },
        ),
      ),
    );
  }

  async retrievePaymentIntent(id: string): Promise<GatewayPaymentIntent | undefined> {
    return this.stripe.callOrUndefined(async (stripe, options) =>
      toPaymentIntent(await stripe.paymentIntents.retrieve(id, { expand: ['latest_charge'] }, options)),
    );
  }
}

const INTENT_STATUSES = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
  'processing',
  'requires_capture',
  'canceled',
  'succeeded',
] as const;

/** Stripe sends a failed attempt back to `requires_payment_method` with the error attached; that is our `failed`. */
export function toIntentStatus(stripeStatus: string, hasError: boolean): IntentStatus {
  switch (narrow(stripeStatus, INTENT_STATUSES, 'payment intent status')) {
    case 'requires_payment_method':
      return hasError ? 'failed' : 'pending';
    case 'requires_confirmation':
      return 'pending';
    case 'requires_action':
      return 'requires_action';
    case 'processing':
      return 'processing';
    case 'requires_capture':
      return 'authorized';
    case 'canceled':
      return 'canceled';
    case 'succeeded':
      return 'succeeded';
  }
}

export function toPaymentIntent(intent: Stripe.PaymentIntent): GatewayPaymentIntent {
  const next = intent.next_action;
  const error = intent.last_payment_error;
  const charge = typeof intent.latest_charge === 'object' && intent.latest_charge !== null ? intent.latest_charge : undefined;
  return {
    id: intent.id,
    status: toIntentStatus(intent.status, Boolean(error)),
    amount: intent.amount,
    amountCapturable: intent.amount_capturable,
    amountReceived: intent.amount_received,
    amountRefunded: charge ? refundedOf(charge) : 0,
    currency: intent.currency,
    captureMethod: intent.capture_method === 'manual' ? 'manual' : 'automatic',
    customerId: idOf(intent.customer),
    clientSecret: intent.client_secret ?? undefined,
    description: intent.description ?? undefined,
    metadata: { ...(intent.metadata ?? {}) },
    latestChargeId: idOf(intent.latest_charge),
    nextAction: next ? { type: next.type, redirectUrl: next.redirect_to_url?.url ?? undefined } : undefined,
    lastError: error ? { code: error.code ?? undefined, declineCode: error.decline_code ?? undefined, message: error.message ?? undefined } : undefined,
    cancellationReason: intent.cancellation_reason ?? undefined,
    created: intent.created,
  };
}

/**
 * What was really refunded of a charge. Stripe has counted the released remainder of a partial
 * capture in `amount_refunded` (the simulator does too); that part was never paid, so it is not a refund.
 */
function refundedOf(charge: Stripe.Charge): number {
  const released = charge.captured ? Math.max(0, charge.amount - charge.amount_captured) : 0;
  return Math.max(0, charge.amount_refunded - released);
}
