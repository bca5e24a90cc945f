import { ReceiveStripeEvent } from '../../application/webhooks/receive-stripe-event';
import { awsModule } from '../../composition/aws';
import { composeFunction } from '../../composition/compose';
import { platformModule } from '../../composition/platform';
import { createTelemetry } from '../../composition/service';
import { webhooksModule } from '../../composition/webhooks';

const NEEDS = ['WEBHOOK_IDEMPOTENCY_TABLE', 'STRIPE_EVENTS_QUEUE_URL', 'AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL_SQS', 'STRIPE_LIVEMODE'] as const;

export const telemetry = createTelemetry();

/** The webhook function: the signing secret, the webhook idempotency table and the events queue; no Stripe SDK. */
export const compose = () =>
  composeFunction(NEEDS, (config) => [platformModule(config, telemetry), awsModule(config), webhooksModule(config, telemetry)], (container) => ({
    receiveStripeEvent: container.get(ReceiveStripeEvent),
  }));
