import { randomUUID } from 'node:crypto';
import { DomainError } from '@shared/errors/domain-error';
import { stripeContractSuite, type StripeBackend } from './stripe-contract-suite';
import type { Gateways } from './stripe-gateways';

type G = Pick<Gateways, 'customers' | 'intents'>;

/** What every PaymentIntentGateway must do, on each backend. */
export function paymentIntentGatewayContract(backend: StripeBackend<G>) {
  stripeContractSuite('PaymentIntentGateway', backend, ({ gateway, statefulIt, statefully, key }) => {
    const newCustomer = () => gateway().customers.createCustomer({ userId: `user-${randomUUID()}`, idempotencyKey: key('customer') });
    const create = async (fields: Partial<Parameters<G['intents']['createPaymentIntent']>[0]> = {}) => {
      const customer = await newCustomer();
      return gateway().intents.createPaymentIntent({
        amount: 2000, currency: 'usd', customerId: customer.id, captureMethod: 'automatic', allowRedirects: false, idempotencyKey: key('pi'), ...fields,
      });
    };

    it('charges at once with automatic capture', async () => {
      const intent = await create({ paymentMethod: 'pm_card_visa', metadata: { orderId: 'o-1' } });
      expect(intent.id).toMatch(/^pi_/);
      await statefully('automatic capture succeeds with amount received, charge and metadata', () => {
        expect(intent).toMatchObject({ status: 'succeeded', amount: 2000, amountReceived: 2000, amountRefunded: 0, currency: 'usd', captureMethod: 'automatic', metadata: { orderId: 'o-1' } });
        expect(intent.latestChargeId).toMatch(/^ch_|^py_/);
        expect(intent.clientSecret).toMatch(new RegExp(`^${intent.id}_secret_`));
      });
    });

    it('replays a creation under the same key', async () => {
      const customer = await newCustomer();
      const input = { amount: 1300, currency: 'usd', customerId: customer.id, captureMethod: 'automatic' as const, allowRedirects: false, idempotencyKey: key('pi') };
      const first = await gateway().intents.createPaymentIntent(input);
      const again = await gateway().intents.createPaymentIntent(input);
      expect(again.id).toMatch(/^pi_/);
      await statefully('the same key answers the same intent', () => expect(again.id).toBe(first.id));
    });

    it('creates an unconfirmed intent and confirms it later', async () => {
      const created = await create({ currency: 'eur', amount: 1500 });
      const confirmed = await gateway().intents.confirmPaymentIntent(created.id, { paymentMethod: 'pm_card_mastercard', idempotencyKey: key('confirm') });
      expect(confirmed.id).toMatch(/^pi_/);
      await statefully('unconfirmed intent is pending, then succeeds on confirm', async () => {
        expect(confirmed.id).toBe(created.id);
        expect(created.status).toBe('pending');
        expect(confirmed.status).toBe('succeeded');
        expect((await gateway().intents.retrievePaymentIntent(created.id))?.status).toBe('succeeded');
      });
    });

    it('keeps a return URL for the confirmation of an intent created without a payment method', async () => {
      const created = await create({ amount: 1200, returnUrl: 'https://example.com/return' });
      const confirmed = await gateway().intents.confirmPaymentIntent(created.id, { paymentMethod: 'pm_card_visa', returnUrl: 'https://example.com/return', idempotencyKey: key('confirm') });
      expect(confirmed.id).toMatch(/^pi_/);
      await statefully('created unconfirmed despite the return URL, then confirmed with it', () => {
        expect(created.status).toBe('pending');
        expect(confirmed.status).toBe('succeeded');
      });
    });

    it('pre-authorizes, then captures part and releases the rest', async () => {
      const authorized = await create({ amount: 1000, captureMethod: 'manual', paymentMethod: 'pm_card_visa' });
      const captured = await gateway().intents.capturePaymentIntent(authorized.id, { amountToCapture: 600, idempotencyKey: key('capture') });
      expect(captured.id).toMatch(/^pi_/);
      await statefully('manual capture: authorized with amount capturable; partial capture receives 600 and refunds nothing', () => {
        expect(captured.id).toBe(authorized.id);
        expect(authorized).toMatchObject({ status: 'authorized', amountCapturable: 1000, amountReceived: 0, captureMethod: 'manual' });
        expect(captured).toMatchObject({ status: 'succeeded', amountReceived: 600, amountCapturable: 0, amountRefunded: 0 });
      });
    });

    it('cancels a pre-authorization with a reason', async () => {
      const authorized = await create({ amount: 1000, captureMethod: 'manual', paymentMethod: 'pm_card_visa' });
      const canceled = await gateway().intents.cancelPaymentIntent(authorized.id, { reason: 'requested_by_customer', idempotencyKey: key('cancel') });
      expect(canceled.id).toMatch(/^pi_/);
      await statefully('cancel releases the authorization with its reason', () => {
        expect(canceled).toMatchObject({ id: authorized.id, status: 'canceled', cancellationReason: 'requested_by_customer' });
      });
    });

    statefulIt('reports a declined card as card_declined with the decline code', 'fixtures never decline', async () => {
      const error = await create({ amount: 1000, paymentMethod: 'pm_card_chargeDeclinedInsufficientFunds' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ kind: 'payment_required', code: 'card_declined', details: { declineCode: 'insufficient_funds' } });
    });

    statefulIt('asks for authentication when the card requires it', 'fixtures never ask for 3-D Secure', async () => {
      const intent = await create({ amount: 1000, paymentMethod: 'pm_card_authenticationRequired', returnUrl: 'https://example.com/return' });
      expect(intent.status).toBe('requires_action');
      expect(intent.nextAction?.type).toMatch(/use_stripe_sdk|redirect_to_url/);
    });

    statefulIt('maps an invalid currency to a validation error', 'stripe-mock accepts any three letters', async () => {
      await expect(create({ amount: 1000, currency: 'zzz' })).rejects.toMatchObject({ kind: 'validation' });
    });

    statefulIt('maps capturing a succeeded intent to a state conflict', 'fixtures keep no state', async () => {
      const paid = await create({ paymentMethod: 'pm_card_visa' });
      await expect(gateway().intents.capturePaymentIntent(paid.id, { idempotencyKey: key('capture') })).rejects.toMatchObject({ kind: 'conflict', code: 'payment_state_conflict' });
    });

    statefulIt('answers undefined for an unknown intent', 'fixtures answer every id', async () => {
      expect(await gateway().intents.retrievePaymentIntent('pi_doesnotexist000000')).toBeUndefined();
    });
  });
}
