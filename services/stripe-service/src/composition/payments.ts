import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ContainerModule } from 'inversify';
import { GetOrCreateCustomer } from '../application/customers/get-or-create-customer';
import { SyncProductPrice } from '../application/catalog/sync-product-price';
import { CancelPaymentIntent } from '../application/payments/cancel-payment-intent';
import { CapturePaymentIntent } from '../application/payments/capture-payment-intent';
import { ConfirmPaymentIntent } from '../application/payments/confirm-payment-intent';
import { CreateCheckoutSession } from '../application/payments/create-checkout-session';
import { CreatePaymentIntent } from '../application/payments/create-payment-intent';
import { GetPayment } from '../application/payments/get-payment';
import { ListPayments } from '../application/payments/list-payments';
import { PaymentRecords } from '../application/payments/payment-records';
import { RefundPayment } from '../application/payments/refund-payment';
import { CLOCK, type Clock } from '../application/ports/clock';
import { ID_GENERATOR, type IdGenerator } from '../application/ports/id-generator';
import { PAYMENT_METRICS, type PaymentMetrics } from '../application/ports/payment-metrics';
import { IDEMPOTENCY_STORE, type IdempotencyStore } from '../application/ports/idempotency-store';
import { CHECKOUT_GATEWAY, type CheckoutGateway } from '../application/ports/checkout-gateway';
import { PAYMENT_INTENT_GATEWAY, type PaymentIntentGateway } from '../application/ports/payment-intent-gateway';
import { PAYMENT_REPOSITORY, type PaymentRepository } from '../application/ports/payment-repository';
import { REFUND_GATEWAY, type RefundGateway } from '../application/ports/refund-gateway';
import { RunIdempotently } from '../application/shared/run-idempotently';
import { DynamoIdempotencyStore } from '../adapters/dynamodb/dynamo-idempotency-store';
import { DynamoPaymentRepository } from '../adapters/dynamodb/dynamo-payment-repository';
import type { StripeCaller } from '../adapters/stripe/stripe-call';
import { StripeCheckoutGateway } from '../adapters/stripe/stripe-checkout-gateway';
import { StripePaymentIntentGateway } from '../adapters/stripe/stripe-payment-intent-gateway';
import { StripeRefundGateway } from '../adapters/stripe/stripe-refund-gateway';
import { TimeOrderedIdGenerator } from '../adapters/system/time-ordered-id-generator';
import type { Config } from '../config';
import { DYNAMODB } from './aws';
import { STRIPE } from './stripe';

/** Payments: the payments and API idempotency tables, Stripe intents, refunds and checkout. Needs the platform, aws, stripe, customers and catalog modules. */
export const paymentsModule = (config: Config<'PAYMENTS_TABLE' | 'API_IDEMPOTENCY_TABLE'>) =>
  new ContainerModule(({ bind }) => {
    bind<IdGenerator>(ID_GENERATOR).toConstantValue(new TimeOrderedIdGenerator());
    bind<PaymentRepository>(PAYMENT_REPOSITORY).toResolvedValue((client: DynamoDBClient) => new DynamoPaymentRepository(client, config.PAYMENTS_TABLE), [DYNAMODB]);
    bind<IdempotencyStore>(IDEMPOTENCY_STORE).toResolvedValue((client: DynamoDBClient) => new DynamoIdempotencyStore(client, config.API_IDEMPOTENCY_TABLE), [DYNAMODB]);
    bind<PaymentIntentGateway>(PAYMENT_INTENT_GATEWAY).toResolvedValue((stripe: StripeCaller) => new StripePaymentIntentGateway(stripe), [STRIPE]);
    bind<RefundGateway>(REFUND_GATEWAY).toResolvedValue((stripe: StripeCaller) => new StripeRefundGateway(stripe), [STRIPE]);
    bind(RunIdempotently).toResolvedValue(
      (store: IdempotencyStore, clock: Clock, ids: IdGenerator) => new RunIdempotently(store, clock, ids),
      [IDEMPOTENCY_STORE, CLOCK, ID_GENERATOR],
    );
    bind(PaymentRecords).toResolvedValue(
      (payments: PaymentRepository, intents: PaymentIntentGateway, clock: Clock, metrics: PaymentMetrics) => new PaymentRecords(payments, intents, clock, metrics),
      [PAYMENT_REPOSITORY, PAYMENT_INTENT_GATEWAY, CLOCK, PAYMENT_METRICS],
    );
    bind(CreatePaymentIntent).toResolvedValue(
      (customers: GetOrCreateCustomer, intents: PaymentIntentGateway, payments: PaymentRepository, records: PaymentRecords, clock: Clock) =>
        new CreatePaymentIntent(customers, intents, payments, records, clock),
      [GetOrCreateCustomer, PAYMENT_INTENT_GATEWAY, PAYMENT_REPOSITORY, PaymentRecords, CLOCK],
    );
    bind<CheckoutGateway>(CHECKOUT_GATEWAY).toResolvedValue((stripe: StripeCaller) => new StripeCheckoutGateway(stripe), [STRIPE]);
    bind(CreateCheckoutSession).toResolvedValue(
      (customers: GetOrCreateCustomer, sync: SyncProductPrice, checkout: CheckoutGateway) => new CreateCheckoutSession(customers, sync, checkout),
      [GetOrCreateCustomer, SyncProductPrice, CHECKOUT_GATEWAY],
    );
    bind(GetPayment).toResolvedValue((records: PaymentRecords) => new GetPayment(records), [PaymentRecords]);
    bind(ConfirmPaymentIntent).toResolvedValue((intents: PaymentIntentGateway, records: PaymentRecords) => new ConfirmPaymentIntent(intents, records), [PAYMENT_INTENT_GATEWAY, PaymentRecords]);
    bind(CapturePaymentIntent).toResolvedValue((intents: PaymentIntentGateway, records: PaymentRecords) => new CapturePaymentIntent(intents, records), [PAYMENT_INTENT_GATEWAY, PaymentRecords]);
    bind(CancelPaymentIntent).toResolvedValue((intents: PaymentIntentGateway, records: PaymentRecords) => new CancelPaymentIntent(intents, records), [PAYMENT_INTENT_GATEWAY, PaymentRecords]);
    bind(RefundPayment).toResolvedValue((refunds: RefundGateway, records: PaymentRecords) => new RefundPayment(refunds, records), [REFUND_GATEWAY, PaymentRecords]);
    bind(ListPayments).toResolvedValue((payments: PaymentRepository) => new ListPayments(payments), [PAYMENT_REPOSITORY]);
  });
