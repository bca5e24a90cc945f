import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SNSClient } from '@aws-sdk/client-sns';
import { ContainerModule } from 'inversify';
import type { Telemetry } from '@shared/observability/telemetry';
import { BILLING_EVENT_PUBLISHER, type BillingEventPublisher } from '../application/ports/billing-event-publisher';
import { CLOCK, type Clock } from '../application/ports/clock';
import { CUSTOMER_REPOSITORY, type CustomerRepository } from '../application/ports/customer-repository';
import { EVENT_METRICS, type EventMetrics } from '../application/ports/event-metrics';
import { EVENT_TRANSLATOR, type EventTranslator } from '../application/ports/event-translator';
import { PAYMENT_METRICS, type PaymentMetrics } from '../application/ports/payment-metrics';
import { PAYMENT_REPOSITORY, type PaymentRepository } from '../application/ports/payment-repository';
import { STRIPE_EVENT_STORE, type StripeEventStore } from '../application/ports/stripe-event-store';
import { SUBSCRIPTION_REPOSITORY, type SubscriptionRepository } from '../application/ports/subscription-repository';
import { ProcessStripeEvent } from '../application/webhooks/process-stripe-event';
import { createSnsClient } from '../adapters/aws/sns-client';
import { DynamoCustomerRepository } from '../adapters/dynamodb/dynamo-customer-repository';
import { DynamoPaymentRepository } from '../adapters/dynamodb/dynamo-payment-repository';
import { DynamoStripeEventStore } from '../adapters/dynamodb/dynamo-stripe-event-store';
import { DynamoSubscriptionRepository } from '../adapters/dynamodb/dynamo-subscription-repository';
import { SnsBillingEventPublisher } from '../adapters/sns/sns-billing-event-publisher';
import { StripeEventTranslator } from '../adapters/stripe/stripe-event-translator';
import { EmfEventMetrics } from '../adapters/telemetry/emf-event-metrics';
import type { Config } from '../config';
import { DYNAMODB } from './aws';

export const SNS = Symbol.for('SNSClient');

/**
 * The events worker: Stripe events into the payments, subscriptions and customers tables and onto
 * the billing events topic, without the Stripe SDK (payloads are translated, never fetched).
 * Needs the platform and aws modules.
 */
export const stripeEventsModule = (
  config: Config<'WEBHOOK_IDEMPOTENCY_TABLE' | 'PAYMENTS_TABLE' | 'SUBSCRIPTIONS_TABLE' | 'STRIPE_CUSTOMERS_TABLE' | 'BILLING_EVENTS_TOPIC_ARN' | 'AWS_ENDPOINT_URL_SNS'>,
  telemetry: Telemetry,
) =>
  new ContainerModule(({ bind }) => {
    bind<SNSClient>(SNS).toDynamicValue(() => createSnsClient(config));
    bind<StripeEventStore>(STRIPE_EVENT_STORE).toResolvedValue((client: DynamoDBClient) => new DynamoStripeEventStore(client, config.WEBHOOK_IDEMPOTENCY_TABLE), [DYNAMODB]);
    bind<PaymentRepository>(PAYMENT_REPOSITORY).toResolvedValue((client: DynamoDBClient) => new DynamoPaymentRepository(client, config.PAYMENTS_TABLE), [DYNAMODB]);
    bind<SubscriptionRepository>(SUBSCRIPTION_REPOSITORY).toResolvedValue((client: DynamoDBClient) => new DynamoSubscriptionRepository(client, config.SUBSCRIPTIONS_TABLE), [DYNAMODB]);
    bind<CustomerRepository>(CUSTOMER_REPOSITORY).toResolvedValue((client: DynamoDBClient) => new DynamoCustomerRepository(client, config.STRIPE_CUSTOMERS_TABLE), [DYNAMODB]);
    bind<BillingEventPublisher>(BILLING_EVENT_PUBLISHER).toResolvedValue((client: SNSClient) => new SnsBillingEventPublisher(client, config.BILLING_EVENTS_TOPIC_ARN), [SNS]);
    bind<EventTranslator>(EVENT_TRANSLATOR).toConstantValue(new StripeEventTranslator());
    bind<EventMetrics>(EVENT_METRICS).toConstantValue(new EmfEventMetrics(telemetry.metrics));
    bind(ProcessStripeEvent).toResolvedValue(
      (
        store: StripeEventStore,
        translator: EventTranslator,
        payments: PaymentRepository,
        subscriptions: SubscriptionRepository,
        customers: CustomerRepository,
        publisher: BillingEventPublisher,
        metrics: EventMetrics,
        paymentMetrics: PaymentMetrics,
        clock: Clock,
      ) => new ProcessStripeEvent(store, translator, payments, subscriptions, customers, publisher, metrics, paymentMetrics, clock),
      [STRIPE_EVENT_STORE, EVENT_TRANSLATOR, PAYMENT_REPOSITORY, SUBSCRIPTION_REPOSITORY, CUSTOMER_REPOSITORY, BILLING_EVENT_PUBLISHER, EVENT_METRICS, PAYMENT_METRICS, CLOCK],
    );
  });
