import type Stripe from 'stripe';
import type {
  CancellationReason,
  CreatePaymentIntentInput,
  GatewayCheckoutSession,
  GatewayCustomer,
  GatewayEvent,
  GatewayPaymentIntent,
  GatewayPrice,
  GatewayProduct,
  GatewayRefund,
  PaymentGateway,
  PaymentIntentStatus,
  RefundReason,
} from '../../application/ports/payment-gateway';
import { mapStripeError } from './stripe-error-mapper';

/**
 * The PaymentGateway on the official SDK. The key is read per call so a rotated secret is used once
 * the cache refreshes. Every create passes the caller's idempotency key; the SDK's own retries then
 * replay the same request safely.
 */
export class StripePaymentGateway implements PaymentGateway {
  constructor(
    private readonly stripe: Stripe,
    private readonly apiKey: () => Promise<string>,
  ) {}

  // Customers

  async createCustomer(input: { userId: string; email: string | undefined; idempotencyKey: string }): Promise<GatewayCustomer> {
    return this.call(async (options) => {
      const customer = await this.stripe.customers.create(
        { ...(input.email ? { email: input.email } : {}), metadata: { userId: input.userId } },
        { ...options, idempotencyKey: input.idempotencyKey },
      );
      return toCustomer(customer);
    });
  }

  async findCustomerForUser(userId: string, email: string | undefined): Promise<GatewayCustomer | undefined> {
    // Listing by email is strongly consistent, unlike search; without an email there is nothing reliable to look up.
    if (email === undefined) return undefined;
    return this.call(async (options) => {
      for await (const customer of this.stripe.customers.list({ email, limit: 100 }, options)) {
        if (customer.metadata?.userId === userId) return toCustomer(customer);
      }
      return undefined;
    });
  }

  async retrieveCustomer(id: string): Promise<GatewayCustomer | undefined> {
    return this.callOrUndefined(async (options) => {
      const customer = await this.stripe.customers.retrieve(id, {}, options);
      return customer.deleted ? undefined : toCustomer(customer);
    });
  }

  // Payment intents

  async createPaymentIntent(input: CreatePaymentIntentInput): Promise<GatewayPaymentIntent> {
    return this.call(async (options) => {
      const intent = await this.stripe.paymentIntents.create(
        {
          amount: input.amount,
          currency: input.currency,
          customer: input.customerId,
          capture_method: input.captureMethod,
          ...(input.description ? { description: input.description } : {}),
          metadata: input.metadata ?? {},
          // The service confirms server-side; methods that need a redirect are left to Checkout.
          automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
          // Stripe accepts `return_url` only with `confirm=true`; an unconfirmed intent takes it at confirm.
          ...(input.paymentMethod
            ? { payment_method: input.paymentMethod, confirm: true, ...(input.returnUrl ? { return_url: input.returnUrl } : {}) }
            : {}),
        },
        { ...options, idempotencyKey: input.idempotencyKey },
      );
      return toPaymentIntent(intent);
    });
  }

  async confirmPaymentIntent(id: string, input: { paymentMethod?: string; returnUrl?: string; idempotencyKey: string }): Promise<GatewayPaymentIntent> {
    return this.call(async (options) =>
      toPaymentIntent(
        await this.stripe.paymentIntents.confirm(
          id,
          { ...(input.paymentMethod ? { payment_method: input.paymentMethod } : {}), ...(input.returnUrl ? { return_url: input.returnUrl } : {}) },
          { ...options, idempotencyKey: input.idempotencyKey },
        ),
      ),
    );
  }

  async capturePaymentIntent(id: string, input: { amountToCapture?: number; idempotencyKey: string }): Promise<GatewayPaymentIntent> {
    return this.call(async (options) =>
      toPaymentIntent(
        await this.stripe.paymentIntents.capture(
          id,
          input.amountToCapture === undefined ? {} : { amount_to_capture: input.amountToCapture },
          { ...options, idempotencyKey: input.idempotencyKey },
        ),
      ),
    );
  }

  async cancelPaymentIntent(id: string, input: { reason?: CancellationReason; idempotencyKey: string }): Promise<GatewayPaymentIntent> {
    return this.call(async (options) =>
      toPaymentIntent(
        await this.stripe.paymentIntents.cancel(id, input.reason ? { cancellation_reason: input.reason } : {}, {
          ...options,
          idempotencyKey: input.idempotencyKey,
        }),
      ),
    );
  }

  async retrievePaymentIntent(id: string): Promise<GatewayPaymentIntent | undefined> {
    return this.callOrUndefined(async (options) => toPaymentIntent(await this.stripe.paymentIntents.retrieve(id, {}, options)));
  }

  // Refunds

  async createRefund(input: {
    paymentIntentId: string;
    amount?: number;
    reason?: RefundReason;
    metadata?: Record<string, string>;
    idempotencyKey: string;
  }): Promise<GatewayRefund> {
    return this.call(async (options) =>
      toRefund(
        await this.stripe.refunds.create(
          {
            payment_intent: input.paymentIntentId,
            ...(input.amount === undefined ? {} : { amount: input.amount }),
            ...(input.reason ? { reason: input.reason } : {}),
            metadata: input.metadata ?? {},
          },
          { ...options, idempotencyKey: input.idempotencyKey },
        ),
      ),
    );
  }

  // Checkout

  async createCheckoutSession(input: Parameters<PaymentGateway['createCheckoutSession']>[0]): Promise<GatewayCheckoutSession> {
    return this.call(async (options) =>
      toCheckoutSession(
        await this.stripe.checkout.sessions.create(
          {
            mode: input.mode,
            customer: input.customerId,
            line_items: input.lineItems.map((item) => ({ price: item.priceId, quantity: item.quantity })),
            success_url: input.successUrl,
            cancel_url: input.cancelUrl,
            metadata: input.metadata ?? {},
            ...(input.mode === 'payment'
              ? { payment_intent_data: { metadata: input.metadata ?? {}, ...(input.captureMethod ? { capture_method: input.captureMethod } : {}) } }
              : { subscription_data: { metadata: input.metadata ?? {} } }),
          },
          { ...options, idempotencyKey: input.idempotencyKey },
        ),
      ),
    );
  }

  async expireCheckoutSession(id: string): Promise<GatewayCheckoutSession> {
    return this.call(async (options) => toCheckoutSession(await this.stripe.checkout.sessions.expire(id, {}, options)));
  }

  // Catalog

  async ensureProduct(input: { id: string; name: string; description?: string; active: boolean; metadata?: Record<string, string> }): Promise<GatewayProduct> {
    return this.call(async (options) => {
      const fields = {
        name: input.name,
        active: input.active,
        ...(input.description ? { description: input.description } : {}),
        metadata: input.metadata ?? {},
      };
      try {
        const existing = await this.stripe.products.retrieve(input.id, {}, options);
        const current = toProduct(existing);
        if (current.name === input.name && current.active === input.active && sameMetadata(current.metadata, fields.metadata)) {
          return current;
        }
        return toProduct(await this.stripe.products.update(input.id, fields, options));
      } catch (error) {
        if (!isResourceMissing(error)) throw error;
        return toProduct(await this.stripe.products.create({ id: input.id, ...fields }, { ...options, idempotencyKey: `product-create:${input.id}` }));
      }
    });
  }

  async ensurePrice(input: Parameters<PaymentGateway['ensurePrice']>[0]): Promise<GatewayPrice> {
    const existing = await this.findPriceByLookupKey(input.lookupKey);
    if (
      existing &&
      existing.productId === input.productId &&
      existing.unitAmount === input.unitAmount &&
      existing.currency === input.currency &&
      existing.recurring?.interval === input.recurring?.interval &&
      (existing.recurring?.intervalCount ?? 1) === (input.recurring?.intervalCount ?? 1)
    ) {
      return existing;
    }
    return this.call(async (options) => {
      const created = await this.stripe.prices.create(
        {
          product: input.productId,
          unit_amount: input.unitAmount,
          currency: input.currency,
          lookup_key: input.lookupKey,
          transfer_lookup_key: true,
          metadata: input.metadata ?? {},
          ...(input.recurring ? { recurring: { interval: input.recurring.interval, interval_count: input.recurring.intervalCount } } : {}),
        },
        { ...options, idempotencyKey: input.idempotencyKey },
      );
      if (existing && existing.id !== created.id) await this.stripe.prices.update(existing.id, { active: false }, options);
      return toPrice(created);
    });
  }

  async findPriceByLookupKey(lookupKey: string): Promise<GatewayPrice | undefined> {
    return this.call(async (options) => {
      const prices = await this.stripe.prices.list({ lookup_keys: [lookupKey], active: true, limit: 1 }, options);
      const price = prices.data[0];
      return price ? toPrice(price) : undefined;
    });
  }

  // Events

  async listEvents(input: { types?: string[]; createdAfter?: number; startingAfter?: string; limit: number }): Promise<{ events: GatewayEvent[]; hasMore: boolean }> {
    return this.call(async (options) => {
      const page = await this.stripe.events.list(
        {
          limit: input.limit,
          ...(input.types?.length ? { types: input.types } : {}),
          ...(input.createdAfter === undefined ? {} : { created: { gt: input.createdAfter } }),
          ...(input.startingAfter ? { starting_after: input.startingAfter } : {}),
        },
        options,
      );
      return { events: page.data.map((event) => ({ id: event.id, type: event.type, created: event.created, payload: event })), hasMore: page.has_more };
    });
  }

  private async call<T>(operation: (options: { apiKey: string }) => Promise<T>): Promise<T> {
    const apiKey = await this.apiKey();
    try {
      return await operation({ apiKey });
    } catch (error) {
      throw mapStripeError(error);
    }
  }

  /** Like `call`, but "no such object" is an answer (undefined), not an error. */
  private async callOrUndefined<T>(operation: (options: { apiKey: string }) => Promise<T | undefined>): Promise<T | undefined> {
    return this.call(async (options) => {
      try {
        return await operation(options);
      } catch (error) {
        if (isResourceMissing(error)) return undefined;
        throw error;
      }
    });
  }
}

const PAYMENT_INTENT_STATUSES = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
  'processing',
  'requires_capture',
  'canceled',
  'succeeded',
] as const satisfies readonly PaymentIntentStatus[];

/** Stripe's enums are open-ended; a value this code does not know is an error, not a silent guess. */
function narrow<T extends string>(value: string, allowed: readonly T[], what: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new Error(`unexpected ${what} from Stripe: ${value}`);
}

function isResourceMissing(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'resource_missing';
}

function sameMetadata(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => a[key] === b[key]);
}

function idOf(value: string | { id: string } | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  return typeof value === 'string' ? value : value.id;
}

function toCustomer(customer: Stripe.Customer): GatewayCustomer {
  return { id: customer.id, email: customer.email ?? undefined, userId: customer.metadata?.userId };
}

function toPaymentIntent(intent: Stripe.PaymentIntent): GatewayPaymentIntent {
  const next = intent.next_action;
  const error = intent.last_payment_error;
  return {
    id: intent.id,
    status: narrow(intent.status, PAYMENT_INTENT_STATUSES, 'payment intent status'),
    amount: intent.amount,
    amountCapturable: intent.amount_capturable,
    amountReceived: intent.amount_received,
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

function toRefund(refund: Stripe.Refund): GatewayRefund {
  return {
    id: refund.id,
    amount: refund.amount,
    currency: refund.currency,
    status: narrow(refund.status ?? 'pending', ['pending', 'requires_action', 'succeeded', 'failed', 'canceled'] as const, 'refund status'),
    paymentIntentId: idOf(refund.payment_intent),
    chargeId: idOf(refund.charge),
    reason: refund.reason ?? undefined,
    created: refund.created,
  };
}

function toCheckoutSession(session: Stripe.Checkout.Session): GatewayCheckoutSession {
  return {
    id: session.id,
    url: session.url ?? undefined,
    status: narrow(session.status ?? 'open', ['open', 'complete', 'expired'] as const, 'checkout session status'),
    mode: session.mode === 'subscription' ? 'subscription' : 'payment',
    customerId: idOf(session.customer),
    paymentIntentId: idOf(session.payment_intent),
    subscriptionId: idOf(session.subscription),
    expiresAt: session.expires_at,
  };
}

function toProduct(product: Stripe.Product): GatewayProduct {
  return { id: product.id, name: product.name, active: product.active, metadata: { ...(product.metadata ?? {}) } };
}

function toPrice(price: Stripe.Price): GatewayPrice {
  return {
    id: price.id,
    productId: idOf(price.product) ?? '',
    unitAmount: price.unit_amount ?? 0,
    currency: price.currency,
    recurring: price.recurring
      ? { interval: narrow(price.recurring.interval, ['day', 'week', 'month', 'year'] as const, 'price interval'), intervalCount: price.recurring.interval_count }
      : undefined,
    lookupKey: price.lookup_key ?? undefined,
    active: price.active,
  };
}
