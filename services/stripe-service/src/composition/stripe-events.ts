import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ContainerModule } from 'inversify';
import type { BillingEvent } from '@shared/events/billing-event';
import { onFirstUse } from '@shared/lazy/on-first-use';
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
import { DynamoCustomerRepository } from '../adapters/dynamodb/dynamo-customer-repository';
import { DynamoPaymentRepository } from '../adapters/dynamodb/dynamo-payment-repository';
import { DynamoStripeEventStore } from '../adapters/dynamodb/dynamo-stripe-event-store';
import { DynamoSubscriptionRepository } from '../adapters/dynamodb/dynamo-subscription-repository';
import { StripeEventTranslator } from '../adapters/stripe/stripe-event-translator';
import { EmfEventMetrics } from '../adapters/telemetry/emf-event-metrics';
import type { Config } from '../config';
import { DYNAMODB } from './aws';

/**
 * The SNS client and its publisher are imported when the container first builds the publisher (the
 * first record's composition), not when the bundle loads: their evaluation then overlaps that
 * record's DynamoDB reads instead of lengthening init (docs/adr/0011-cold-start-budget.md).
 */
class PublisherLoadedOnDemand implements BillingEventPublisher {
  private readonly publisher: () => Promise<BillingEventPublisher>;

  constructor(load: () => Promise<BillingEventPublisher>) {
    this.publisher = onFirstUse(load);
    // Started at once; a failed load is retried by the next publish, which reports it.
    this.publisher().catch(() => undefined);
  }

  async publish(event: BillingEvent): Promise<void> {
    return (await this.publisher()).publish(event);
  }
}

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
    bind<StripeEventStore>(STRIPE_EVENT_STORE).toResolvedValue((client: DynamoDBClient) => new DynamoStripeEventStore(client, config.WEBHOOK_IDEMPOTENCY_TABLE), [DYNAMODB]);
    bind<PaymentRepository>(PAYMENT_REPOSITORY).toResolvedValue((client: DynamoDBClient) => new DynamoPaymentRepository(client, config.PAYMENTS_TABLE), [DYNAMODB]);
    bind<SubscriptionRepository>(SUBSCRIPTION_REPOSITORY).toResolvedValue((client: DynamoDBClient) => new DynamoSubscriptionRepository(client, config.SUBSCRIPTIONS_TABLE), [DYNAMODB]);
    bind<CustomerRepository>(CUSTOMER_REPOSITORY).toResolvedValue((client: DynamoDBClient) => new DynamoCustomerRepository(client, config.STRIPE_CUSTOMERS_TABLE), [DYNAMODB]);
    bind<BillingEventPublisher>(BILLING_EVENT_PUBLISHER).toDynamicValue(
      () =>
        new PublisherLoadedOnDemand(async () => {
          const [{ createSnsClient }, { SnsBillingEventPublisher }] = await Promise.all([
            import('../adapters/aws/sns-client'),
            import('../adapters/sns/sns-billing-event-publisher'),
          ]);
          return new SnsBillingEventPublisher(createSnsClient(config), config.BILLING_EVENTS_TOPIC_ARN);
        }),
    );
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
