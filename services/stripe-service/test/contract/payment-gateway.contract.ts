import { randomUUID } from 'node:crypto';
import { DomainError } from '@shared/errors/domain-error';
import type { CustomerGateway, PaymentGateway } from '../../src/application/ports/payment-gateway';

export interface GatewayBackend<G = PaymentGateway> {
  gateway: G;
  /**
   * False for stripe-mock, which validates every request against Stripe's OpenAPI spec but answers
   * from fixtures: there only "the request is valid and the answer maps" is checked, and each test
   * states which assertions it leaves out.
   */
  stateful: boolean;
  teardown(): Promise<void>;
}

/**
 * Registers a contract suite: sets the backend up once, exposes `statefully` for assertions that
 * need a stateful backend, and reports what a stateless backend left out.
 */
function contractSuite<G>(title: string, name: string, setup: () => Promise<GatewayBackend<G>>, body: (ctx: SuiteContext<G>) => void) {
  describe(`${title}: ${name}`, () => {
    const ctx = {} as SuiteContext<G>;
    const notChecked: string[] = [];
    ctx.statefully = async (what, assertions) => {
      if (ctx.backend.stateful) await assertions();
      else notChecked.push(what);
    };
    ctx.key = (label) => `${label}-${randomUUID()}`;
    beforeAll(async () => {
      ctx.backend = await setup();
    }, 60_000);
    afterAll(async () => {
      if (notChecked.length > 0) {
        process.stderr.write(`[${name}] stateless backend: not checked here (checked on the stateful backends):\n  - ${notChecked.join('\n  - ')}\n`);
      }
      await ctx.backend?.teardown();
    });
    body(ctx);
  });
}

interface SuiteContext<G> {
  backend: GatewayBackend<G>;
  statefully(what: string, assertions: () => Promise<void> | void): Promise<void>;
  key(label: string): string;
}

/** What every CustomerGateway must do: the in-memory fake and the Stripe adapter on every backend. */
export function customerGatewayContract(name: string, setup: () => Promise<GatewayBackend<CustomerGateway>>) {
  contractSuite('CustomerGateway contract', name, setup, (ctx) => {
    const { statefully, key } = ctx;
    let gateway: CustomerGateway;
    beforeAll(() => {
      gateway = ctx.backend.gateway;
    });

    it('creates a customer tagged with the user id, and the same idempotency key replays it', async () => {
      const userId = `user-${randomUUID()}`;
      const idempotencyKey = key('customer');
      const created = await gateway.createCustomer({ userId, email: `${userId}@example.com`, idempotencyKey });
      expect(created.id).toMatch(/^cus_/);
      const replay = await gateway.createCustomer({ userId, email: `${userId}@example.com`, idempotencyKey });
      await statefully('customer metadata and email round-trip; idempotent replay returns the same id', async () => {
        expect(created).toEqual({ id: created.id, email: `${userId}@example.com`, userId });
        expect(replay.id).toBe(created.id);
        expect(await gateway.retrieveCustomer(created.id)).toEqual(created);
        expect(await gateway.findCustomerForUser(userId, `${userId}@example.com`)).toEqual(created);
        expect(await gateway.findCustomerForUser('someone-else', `${userId}@example.com`)).toBeUndefined();
      });
    });

    it('answers undefined for an unknown customer', async () => {
      await statefully('unknown customer id is undefined', async () => {
        expect(await gateway.retrieveCustomer('cus_doesnotexist000000')).toBeUndefined();
      });
      expect(await gateway.findCustomerForUser('nobody', undefined)).toBeUndefined();
    });
  });
}

/** What every PaymentGateway must do beyond customers, run against each backend (simulator, stripe-mock, Stripe test mode). */
export function paymentGatewayContract(name: string, setup: () => Promise<GatewayBackend>) {
  contractSuite('PaymentGateway contract', name, setup, (ctx) => {
    const { statefully, key } = ctx;
    let gateway: PaymentGateway;
    beforeAll(() => {
      gateway = ctx.backend.gateway;
    });
    const newCustomer = async () => {
      const userId = `user-${randomUUID()}`;
      return gateway.createCustomer({ userId, email: `${userId}@example.com`, idempotencyKey: key('customer') });
    };

    describe('payment intents', () => {
      it('charges at once with automatic capture', async () => {
        const customer = await newCustomer();
        const intent = await gateway.createPaymentIntent({
          amount: 2000, currency: 'usd', customerId: customer.id, captureMethod: 'automatic',
          paymentMethod: 'pm_card_visa', metadata: { orderId: 'o-1' }, idempotencyKey: key('pi'),
        });
        expect(intent.id).toMatch(/^pi_/);
        await statefully('automatic capture succeeds with amount received, charge and metadata', () => {
          expect(intent).toMatchObject({ status: 'succeeded', amount: 2000, amountReceived: 2000, currency: 'usd', captureMethod: 'automatic', customerId: customer.id, metadata: { orderId: 'o-1' } });
          expect(intent.latestChargeId).toMatch(/^ch_|^py_/);
          expect(intent.clientSecret).toMatch(new RegExp(`^${intent.id}_secret_`));
        });
      });

      it('creates an unconfirmed intent and confirms it later', async () => {
        const customer = await newCustomer();
        const created = await gateway.createPaymentIntent({ amount: 1500, currency: 'eur', customerId: customer.id, captureMethod: 'automatic', idempotencyKey: key('pi') });
        const confirmed = await gateway.confirmPaymentIntent(created.id, { paymentMethod: 'pm_card_mastercard', idempotencyKey: key('confirm') });
        expect(confirmed.id).toBe(created.id);
        await statefully('unconfirmed intent requires a payment method, then succeeds on confirm', async () => {
          expect(created.status).toBe('requires_payment_method');
          expect(confirmed.status).toBe('succeeded');
          expect((await gateway.retrievePaymentIntent(created.id))?.status).toBe('succeeded');
        });
      });

      it('keeps a return URL for the confirmation of an intent created without a payment method', async () => {
        const customer = await newCustomer();
        const created = await gateway.createPaymentIntent({ amount: 1200, currency: 'usd', customerId: customer.id, captureMethod: 'automatic', returnUrl: 'https://example.com/return', idempotencyKey: key('pi') });
        const confirmed = await gateway.confirmPaymentIntent(created.id, { paymentMethod: 'pm_card_visa', returnUrl: 'https://example.com/return', idempotencyKey: key('confirm') });
        expect(confirmed.id).toBe(created.id);
        await statefully('created unconfirmed despite the return URL, then confirmed with it', () => {
          expect(created.status).toBe('requires_payment_method');
          expect(confirmed.status).toBe('succeeded');
        });
      });

      it('pre-authorizes, then captures part and releases the rest', async () => {
        const customer = await newCustomer();
        const authorized = await gateway.createPaymentIntent({ amount: 1000, currency: 'usd', customerId: customer.id, captureMethod: 'manual', paymentMethod: 'pm_card_visa', idempotencyKey: key('pi') });
        const captured = await gateway.capturePaymentIntent(authorized.id, { amountToCapture: 600, idempotencyKey: key('capture') });
        expect(captured.id).toBe(authorized.id);
        await statefully('manual capture: requires_capture with amount capturable, partial capture receives 600', () => {
          expect(authorized).toMatchObject({ status: 'requires_capture', amountCapturable: 1000, amountReceived: 0, captureMethod: 'manual' });
          expect(captured).toMatchObject({ status: 'succeeded', amountReceived: 600, amountCapturable: 0 });
        });
      });

      it('cancels a pre-authorization with a reason', async () => {
        const customer = await newCustomer();
        const authorized = await gateway.createPaymentIntent({ amount: 1000, currency: 'usd', customerId: customer.id, captureMethod: 'manual', paymentMethod: 'pm_card_visa', idempotencyKey: key('pi') });
        const canceled = await gateway.cancelPaymentIntent(authorized.id, { reason: 'requested_by_customer', idempotencyKey: key('cancel') });
        expect(canceled.id).toBe(authorized.id);
        await statefully('cancel releases the authorization with its reason', () => {
          expect(canceled).toMatchObject({ status: 'canceled', cancellationReason: 'requested_by_customer' });
        });
      });

      it('reports a declined card as card_declined with the decline code', async () => {
        const customer = await newCustomer();
        await statefully('pm_card_chargeDeclinedInsufficientFunds is declined with insufficient_funds', async () => {
          const error = await gateway
            .createPaymentIntent({ amount: 1000, currency: 'usd', customerId: customer.id, captureMethod: 'automatic', paymentMethod: 'pm_card_chargeDeclinedInsufficientFunds', idempotencyKey: key('pi') })
            .catch((e: unknown) => e);
          expect(error).toBeInstanceOf(DomainError);
          expect(error).toMatchObject({ kind: 'payment_failed', code: 'card_declined', details: { declineCode: 'insufficient_funds' } });
        });
      });

      it('asks for authentication when the card requires it', async () => {
        const customer = await newCustomer();
        await statefully('pm_card_authenticationRequired leaves the intent in requires_action with a next action', async () => {
          const intent = await gateway.createPaymentIntent({ amount: 1000, currency: 'usd', customerId: customer.id, captureMethod: 'automatic', paymentMethod: 'pm_card_authenticationRequired', returnUrl: 'https://example.com/return', idempotencyKey: key('pi') });
          expect(intent.status).toBe('requires_action');
          expect(intent.nextAction?.type).toMatch(/use_stripe_sdk|redirect_to_url/);
        });
      });

      it('maps an invalid currency to a validation error', async () => {
        const customer = await newCustomer();
        const error = await gateway
          .createPaymentIntent({ amount: 1000, currency: 'zzz', customerId: customer.id, captureMethod: 'automatic', idempotencyKey: key('pi') })
          .catch((e: unknown) => e);
        await statefully('currency zzz is refused by the provider', () => {
          expect(error).toMatchObject({ kind: 'validation' });
        });
      });
    });

    describe('refunds', () => {
      it('refunds in parts and refuses to refund more than was paid', async () => {
        const customer = await newCustomer();
        const paid = await gateway.createPaymentIntent({ amount: 3000, currency: 'usd', customerId: customer.id, captureMethod: 'automatic', paymentMethod: 'pm_card_visa', idempotencyKey: key('pi') });
        const first = await gateway.createRefund({ paymentIntentId: paid.id, amount: 1000, reason: 'requested_by_customer', idempotencyKey: key('refund') });
        expect(first.id).toMatch(/^re_/);
        await statefully('partial refunds add up to the amount paid; a further refund is refused', async () => {
          expect(first).toMatchObject({ amount: 1000, currency: 'usd', status: 'succeeded', paymentIntentId: paid.id, reason: 'requested_by_customer' });
          const rest = await gateway.createRefund({ paymentIntentId: paid.id, idempotencyKey: key('refund') });
          expect(rest.amount).toBe(2000);
          await expect(gateway.createRefund({ paymentIntentId: paid.id, amount: 1, idempotencyKey: key('refund') })).rejects.toMatchObject({ kind: 'validation' });
        });
      });
    });

    describe('catalog and checkout', () => {
      it('ensures a product and a price by lookup key, idempotently, and opens and expires a checkout session', async () => {
        const productId = `prod_${randomUUID().replaceAll('-', '').slice(0, 14)}`;
        const lookupKey = `plan-${randomUUID()}`;
        const product = await gateway.ensureProduct({ id: productId, name: 'Pro plan', active: true, metadata: { localId: 'pro' } });
        const again = await gateway.ensureProduct({ id: productId, name: 'Pro plan', active: true, metadata: { localId: 'pro' } });
        const price = await gateway.ensurePrice({ lookupKey, productId, unitAmount: 1200, currency: 'usd', idempotencyKey: key('price') });
        expect(price.id).toMatch(/^price_/);
        const customer = await newCustomer();
        const session = await gateway.createCheckoutSession({
          mode: 'payment', customerId: customer.id, lineItems: [{ priceId: price.id, quantity: 2 }],
          successUrl: 'https://example.com/ok?session={CHECKOUT_SESSION_ID}', cancelUrl: 'https://example.com/cancel', metadata: { userId: 'u1' }, idempotencyKey: key('cs'),
        });
        expect(session.id).toMatch(/^cs_/);
        const expired = await gateway.expireCheckoutSession(session.id);
        expect(expired.id).toMatch(/^cs_/);
        await statefully('product and price are stable across ensures; session is open with a url, then expired', async () => {
          expect(expired.id).toBe(session.id);
          expect(product).toEqual({ id: productId, name: 'Pro plan', active: true, metadata: { localId: 'pro' } });
          expect(again).toEqual(product);
          expect(price).toMatchObject({ productId, unitAmount: 1200, currency: 'usd', lookupKey, active: true, recurring: undefined });
          expect(await gateway.ensurePrice({ lookupKey, productId, unitAmount: 1200, currency: 'usd', idempotencyKey: key('price') })).toEqual(price);
          expect(session).toMatchObject({ status: 'open', mode: 'payment', customerId: customer.id });
          expect(session.url).toMatch(/^https?:\/\//);
          expect(expired.status).toBe('expired');
        });
      });

      it('moves the lookup key to a new price when the amount changes and archives the old one', async () => {
        const productId = `prod_${randomUUID().replaceAll('-', '').slice(0, 14)}`;
        const lookupKey = `plan-${randomUUID()}`;
        await gateway.ensureProduct({ id: productId, name: 'Monthly', active: true });
        const monthly = await gateway.ensurePrice({ lookupKey, productId, unitAmount: 900, currency: 'usd', recurring: { interval: 'month', intervalCount: 1 }, idempotencyKey: key('price') });
        const raised = await gateway.ensurePrice({ lookupKey, productId, unitAmount: 1100, currency: 'usd', recurring: { interval: 'month', intervalCount: 1 }, idempotencyKey: key('price') });
        expect(raised.id).toMatch(/^price_/);
        await statefully('a changed amount makes a new price that takes over the lookup key', async () => {
          expect(monthly.recurring).toEqual({ interval: 'month', intervalCount: 1 });
          expect(raised.id).not.toBe(monthly.id);
          expect(await gateway.findPriceByLookupKey(lookupKey)).toEqual(raised);
        });
      });
    });

    describe('events', () => {
      it('lists events newest first, filtered by type', async () => {
        const customer = await newCustomer();
        const paid = await gateway.createPaymentIntent({ amount: 700, currency: 'usd', customerId: customer.id, captureMethod: 'automatic', paymentMethod: 'pm_card_visa', idempotencyKey: key('pi') });
        const page = await gateway.listEvents({ types: ['payment_intent.succeeded'], limit: 10 });
        expect(Array.isArray(page.events)).toBe(true);
        await statefully('the payment just made appears as payment_intent.succeeded, newest first', () => {
          const objectId = (e: { payload: unknown }) => (e.payload as { data?: { object?: { id?: string } } }).data?.object?.id;
          expect(page.events.map(objectId)).toContain(paid.id);
          expect(page.events.every((e) => e.type === 'payment_intent.succeeded')).toBe(true);
          const created = page.events.map((e) => e.created);
          expect(created).toEqual([...created].sort((a, b) => b - a));
        });
      });
    });
  });
}
