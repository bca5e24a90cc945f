import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { ContainerModule } from 'inversify';
import { SECRET_PROVIDER, type SecretProvider } from '@shared/secrets/secret-provider';
import type { Telemetry } from '@shared/observability/telemetry';
import { CLOCK, type Clock } from '../application/ports/clock';
import { STRIPE_EVENT_PARSER, type StripeEventParser } from '../application/ports/stripe-event-parser';
import { STRIPE_EVENT_QUEUE, type StripeEventQueue } from '../application/ports/stripe-event-queue';
import { STRIPE_EVENT_STORE, type StripeEventStore } from '../application/ports/stripe-event-store';
import { WEBHOOK_METRICS, type WebhookMetrics } from '../application/ports/webhook-metrics';
import { WEBHOOK_SIGNATURE_VERIFIER, type WebhookSignatureVerifier } from '../application/ports/webhook-signature-verifier';
import { ReceiveStripeEvent } from '../application/webhooks/receive-stripe-event';
import { createSqsClient } from '../adapters/aws/sqs-client';
import { DynamoStripeEventStore } from '../adapters/dynamodb/dynamo-stripe-event-store';
import { SqsStripeEventQueue } from '../adapters/sqs/sqs-stripe-event-queue';
import { HmacWebhookSignatureVerifier } from '../adapters/stripe/hmac-webhook-signature-verifier';
import { ValibotStripeEventParser } from '../adapters/stripe/valibot-stripe-event-parser';
import { EmfWebhookMetrics } from '../adapters/telemetry/emf-webhook-metrics';
import { secretId, type Config } from '../config';
import { DYNAMODB } from './aws';

export const SQS = Symbol.for('SQSClient');

/** Stripe's signing tolerance: `constructEvent`'s default, and what Stripe documents. */
const SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * Webhook ingress: signature check on node:crypto (no Stripe SDK), the webhook idempotency table and
 * the events queue. Needs the platform and aws modules.
 */
export const webhooksModule = (
  config: Config<'WEBHOOK_IDEMPOTENCY_TABLE' | 'STRIPE_EVENTS_QUEUE_URL' | 'AWS_ENDPOINT_URL_SQS' | 'STRIPE_LIVEMODE'>,
  telemetry: Telemetry,
) =>
  new ContainerModule(({ bind }) => {
    bind<SQSClient>(SQS).toDynamicValue(() => createSqsClient(config));
    bind<StripeEventStore>(STRIPE_EVENT_STORE).toResolvedValue((client: DynamoDBClient) => new DynamoStripeEventStore(client, config.WEBHOOK_IDEMPOTENCY_TABLE), [DYNAMODB]);
    bind<StripeEventQueue>(STRIPE_EVENT_QUEUE).toResolvedValue((client: SQSClient) => new SqsStripeEventQueue(client, config.STRIPE_EVENTS_QUEUE_URL), [SQS]);
    bind<WebhookSignatureVerifier>(WEBHOOK_SIGNATURE_VERIFIER).toConstantValue(new HmacWebhookSignatureVerifier(SIGNATURE_TOLERANCE_SECONDS));
    bind<StripeEventParser>(STRIPE_EVENT_PARSER).toConstantValue(new ValibotStripeEventParser());
    bind<WebhookMetrics>(WEBHOOK_METRICS).toConstantValue(new EmfWebhookMetrics(telemetry.metrics));
    bind(ReceiveStripeEvent).toResolvedValue(
      (
        verifier: WebhookSignatureVerifier,
        parser: StripeEventParser,
        store: StripeEventStore,
        queue: StripeEventQueue,
        metrics: WebhookMetrics,
        clock: Clock,
        secrets: SecretProvider,
      ) =>
        new ReceiveStripeEvent(verifier, parser, store, queue, metrics, clock, {
          livemode: config.STRIPE_LIVEMODE === 'true',
          signingSecret: () => secrets.getSecret(secretId(config, 'stripe-webhook-secret')),
        }),
      [WEBHOOK_SIGNATURE_VERIFIER, STRIPE_EVENT_PARSER, STRIPE_EVENT_STORE, STRIPE_EVENT_QUEUE, WEBHOOK_METRICS, CLOCK, SECRET_PROVIDER],
    );
  });
