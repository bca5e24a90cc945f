import { ProcessStripeEvent } from '../../application/webhooks/process-stripe-event';
import { awsModule } from '../../composition/aws';
import { clockAndMetricsModule } from '../../composition/clock-and-metrics';
import { composeFunction } from '../../composition/compose';
import { createTelemetry } from '../../composition/service';
import { stripeEventsModule } from '../../composition/stripe-events';

const NEEDS = [
  'WEBHOOK_IDEMPOTENCY_TABLE',
  'PAYMENTS_TABLE',
  'SUBSCRIPTIONS_TABLE',
  'STRIPE_CUSTOMERS_TABLE',
  'BILLING_EVENTS_TOPIC_ARN',
  'AWS_ENDPOINT_URL_DYNAMODB',
  'AWS_ENDPOINT_URL_SNS',
] as const;

export const telemetry = createTelemetry();

/** The events worker: DynamoDB and SNS, no Stripe SDK and no secret read. */
export const compose = () =>
  composeFunction(NEEDS, (config) => [clockAndMetricsModule(telemetry), awsModule(config), stripeEventsModule(config, telemetry)], (container) => ({
    processStripeEvent: container.get(ProcessStripeEvent),
  }));

export type EventsWorkerDeps = Awaited<ReturnType<typeof compose>>;
