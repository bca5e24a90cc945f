// Reliability drill on the local stack with every function running: 50 distinct Stripe events,
// each delivered 20 times at once (1000 requests), through the webhook ingress, the events queue
// and the events worker. Each must be applied exactly once: 50 payments succeeded, 50 records
// processed, exactly 50 distinct billing events published (one per Stripe event), none lost.
import { randomUUID } from 'node:crypto';
import { BatchGetItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { readFileSync } from 'node:fs';
import Stripe from 'stripe';
import { receiveBillingEvents, subscribeQueue } from '../support/billing-topic';
import { httpClient } from './http-client';
import { waitFor } from '../support/events-worker-stack';
import { closeDeliveryConnections, deliverUntilAccepted } from './webhook-delivery';
import { startTarget, type E2eTarget, type LocalDetails } from './target';

let target: E2eTarget;
let local: LocalDetails;
let sns: SNSClient;
let sqs: SQSClient;
let dynamo: DynamoDBClient;
let simulator: Stripe;
const call = httpClient(() => target);

beforeAll(async () => {
  target = await startTarget();
  if (!target.local) throw new Error('the drill signs deliveries with the local stack\'s webhook secret; it cannot run against a deployed stage');
  local = target.local;
  const config = { region: local.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  sns = new SNSClient({ ...config, endpoint: local.env.AWS_ENDPOINT_URL_SNS });
  sqs = new SQSClient({ ...config, endpoint: local.env.AWS_ENDPOINT_URL_SQS });
  dynamo = new DynamoDBClient({ ...config, endpoint: local.dynamodbEndpoint });
  const url = new URL(local.stripeUrl);
  simulator = new Stripe(local.stripeSecretKey, { host: url.hostname, port: url.port, protocol: 'http', telemetry: false, maxNetworkRetries: 0 });
}, 60_000);
afterAll(async () => {
  closeDeliveryConnections();
  sns?.destroy();
  sqs?.destroy();
  dynamo?.destroy();
  await target?.stop();
});

function webhookSecret(): string {
  const secrets = JSON.parse(readFileSync(local.env.SECRETS_FILE!, 'utf8')) as Record<string, string>;
  const value = secrets[`${local.env.PROJECT_NAME}-${local.env.ENVIRONMENT}-stripe-webhook-secret`];
  if (!value) throw new Error('the local secrets file has no webhook secret');
  return value;
}

async function statuses(ids: readonly string[]): Promise<string[]> {
  const table = local.env.WEBHOOK_IDEMPOTENCY_TABLE!;
  const found = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 100) {
    const keys = ids.slice(i, i + 100).map((id) => ({ eventId: { S: id } }));
    const answer = await dynamo.send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }));
    for (const item of answer.Responses?.[table] ?? []) found.set(item.eventId!.S!, item.status!.S!);
  }
  return ids.map((id) => found.get(id) ?? 'missing');
}

async function depth(url: string): Promise<number> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return Number(Attributes?.ApproximateNumberOfMessages ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
}

it('50 distinct payment_intent.succeeded events x 20 concurrent deliveries: each applied once, 50 billing events, none lost', async () => {
  const sub = `e2e-drill-${randomUUID()}`;
  const token = await target.tokenFor({ sub, email: `${sub}@example.com` });
  const listener = await subscribeQueue(sns, sqs, local.env.BILLING_EVENTS_TOPIC_ARN!, { filterPolicy: { userId: [sub] } });

  // 50 payments waiting for their card, made through the API; Stripe's success events for them
  // are then delivered by this test, as Stripe would after each customer paid.
  const intents: string[] = [];
  for (let i = 0; i < 50; i += 1) {
    const created = await call('POST', '/stripe/payment-intent', { token, body: { amount: 1000 + i, currency: 'usd' }, headers: { 'idempotency-key': randomUUID() } });
    expect(created.status).toBe(201);
    intents.push(created.body?.paymentIntentId as string);
  }
  const secret = webhookSecret();
  const created = Math.floor(Date.now() / 1000) + 1;
  const events = await Promise.all(
    intents.map(async (intentId) => {
      const intent = await simulator.paymentIntents.retrieve(intentId);
      const id = `evt_drill${randomUUID().replaceAll('-', '')}`;
      const body = JSON.stringify({
        id,
        object: 'event',
        api_version: '2025-01-27.acacia',
        created,
        livemode: false,
        pending_webhooks: 1,
        type: 'payment_intent.succeeded',
        data: { object: { ...intent, status: 'succeeded', amount_received: intent.amount } },
      });
      return { id, body };
    }),
  );
  const ids = events.map((e) => e.id);

  // Settled, not raced: no delivery may still be running when the stack stops.
  const sign = (body: string) => () => simulator.webhooks.generateTestHeaderString({ payload: body, secret });
  const settled = await Promise.allSettled(
    events.flatMap(({ body }) => Array.from({ length: 20 }, () => deliverUntilAccepted(`${target.baseUrl}/stripe/webhook`, body, sign(body)))),
  );
  expect(settled.filter((s) => s.status === 'rejected')).toEqual([]);

  // The worker publishes before it marks an event processed: once all are processed and the
  // events queue is empty, every billing event they caused is in the listener's queue.
  await waitFor('every drill event processed', async () => (await statuses(ids)).every((s) => s === 'processed'), 120_000);
  await waitFor('the events queue drained', async () => (await depth(local.env.STRIPE_EVENTS_QUEUE_URL!)) === 0, 60_000);
  const received = await receiveBillingEvents(sqs, listener, { until: (r) => r.length >= 50, timeoutMs: 30_000 });
  await waitFor('the listener drained', async () => (await depth(listener)) === 0, 10_000);

  const fromDrill = received.filter((r) => ids.includes(r.event.source.stripeEventId));
  expect(fromDrill.map((r) => r.event.type).every((type) => type === 'payment.successful')).toBe(true);
  expect(new Set(fromDrill.map((r) => r.event.source.stripeEventId)).size).toBe(50);
  expect(new Set(fromDrill.map((r) => r.event.id)).size).toBe(50);
  expect(fromDrill).toHaveLength(50);
  expect((await call('GET', '/stripe/payments?limit=100', { token })).body?.payments).toEqual(
    expect.arrayContaining(intents.map((paymentIntentId) => expect.objectContaining({ paymentIntentId, status: 'succeeded' }))),
  );
  const dlq = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: local.env.STRIPE_EVENTS_QUEUE_URL!.replace(/stripe-events$/, 'stripe-events-dlq'), AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes;
  expect(Number(dlq?.ApproximateNumberOfMessages ?? 0)).toBe(0);
  // The receipts these payments cause are still being mailed; the stack stops once they are.
  await waitFor('the notifications queue drained', async () => (await depth(local.env.NOTIFICATIONS_QUEUE_URL!)) === 0, 120_000);
}, 300_000);
