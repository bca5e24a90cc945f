import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchGetItemCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import Stripe from 'stripe';
import { startLocalStack, type LocalStack } from '../../../../scripts/dev-stack/index';
import { mintToken } from '../../../../scripts/lib/token';
import { DynamoStripeEventStore } from '../../src/adapters/dynamodb/dynamo-stripe-event-store';
import type { StripeEventMessage } from '../../src/application/ports/stripe-event-queue';
import { waitFor } from '../support/events-worker-stack';
import { closeDeliveryConnections, deliverOnce } from './webhook-delivery';

// Stripe's side of the local stack, end to end: the simulator delivers to the webhook route the
// stack registered, and every event lands on the events queue exactly once. The queue workers are
// not run, so the events queue can be read as the events worker would find it, and a record stays
// `received` until a test marks it processed as the worker would.

let stack: LocalStack;
let dataDir: string;
let sqs: SQSClient;
let dynamo: DynamoDBClient;
let simulator: Stripe;
let secrets: Record<string, string>;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'e2e-webhook-'));
  stack = await startLocalStack({ dataDir, apiPort: 0, dynamodbPort: 0, sqsPort: 0, stripePort: 0, quiet: true, workers: false });
  const clientConfig = { region: stack.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  sqs = new SQSClient({ ...clientConfig, endpoint: stack.endpoints.sqs });
  dynamo = new DynamoDBClient({ ...clientConfig, endpoint: stack.endpoints.dynamodb });
  secrets = JSON.parse(readFileSync(stack.secretsFile, 'utf8')) as Record<string, string>;
  const url = new URL(stack.stripeUrl);
  simulator = new Stripe(secret('stripe-secret-key'), { host: url.hostname, port: url.port, protocol: 'http', telemetry: false, maxNetworkRetries: 0 });
}, 60_000);

afterAll(async () => {
  closeDeliveryConnections();
  sqs?.destroy();
  dynamo?.destroy();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function secret(name: string): string {
  const value = secrets[`${stack.projectName}-${stack.environment}-${name}`];
  if (!value) throw new Error(`the local secrets file has no ${name}`);
  return value;
}

/** Everything on the events queue now, each message received once and kept invisible afterwards. */
const seen: StripeEventMessage[] = [];
async function drainEventsQueue(): Promise<StripeEventMessage[]> {
  const url = stack.queues.stripe_events!.url;
  for (;;) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 3600, WaitTimeSeconds: 0 }));
    seen.push(...Messages.map((m) => JSON.parse(m.Body ?? '{}') as StripeEventMessage));
    if (Messages.length > 0) continue;
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }));
    if (Number(Attributes?.ApproximateNumberOfMessages ?? 0) === 0) return seen;
  }
}

function copiesOf(messages: StripeEventMessage[], ids: readonly string[]): number[] {
  return ids.map((id) => messages.filter((m) => m.eventId === id).length);
}

async function statuses(ids: readonly string[]): Promise<Map<string, string>> {
  const table = stack.tables.webhook_idempotency!.name;
  const found = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 100) {
    const keys = ids.slice(i, i + 100).map((id) => ({ eventId: { S: id } }));
    const answer = await dynamo.send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }));
    for (const item of answer.Responses?.[table] ?? []) found.set(item.eventId!.S!, item.status!.S!);
  }
  return found;
}

function signedEvent(id: string, overrides: Record<string, unknown> = {}) {
  const body = JSON.stringify({ id, object: 'event', type: 'payment_intent.succeeded', created: Math.floor(Date.now() / 1000), livemode: false, data: { object: { id: `pi_${id.slice(4)}`, object: 'payment_intent' } }, ...overrides });
  return { body, header: simulator.webhooks.generateTestHeaderString({ payload: body, secret: secret('stripe-webhook-secret') }) };
}

describe('webhook ingress on the local stack', () => {
  it('registered its webhook route with the simulator, whose deliveries of a payment confirmed through the API each reach the events queue once', async () => {
    const endpoints = await simulator.webhookEndpoints.list();
    expect(endpoints.data.map((e) => [e.url, e.status])).toEqual([[`${stack.apiUrl}/stripe/webhook`, 'enabled']]);

    const jwt = secret('jwt-access-token-secret');
    const token = await mintToken(jwt, { sub: `e2e-webhook-${randomUUID()}`, email: 'webhook@example.com', role: 'user' }, 600);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await fetch(`${stack.apiUrl}/stripe/payment-intent`, { method: 'POST', headers: { ...headers, 'idempotency-key': randomUUID() }, body: JSON.stringify({ amount: 1999, currency: 'usd' }) });
    expect(created.status).toBe(201);
    const intent = ((await created.json()) as { paymentIntentId: string }).paymentIntentId;
    const confirmed = await fetch(`${stack.apiUrl}/stripe/payment-intent/${intent}/confirm`, { method: 'POST', headers: { ...headers, 'idempotency-key': randomUUID() }, body: JSON.stringify({ paymentMethod: 'pm_card_visa' }) });
    expect(confirmed.status).toBe(200);

    let ids: string[] = [];
    await waitFor('the simulator records payment_intent.succeeded', async () => {
      const events = await simulator.events.list({ limit: 100 });
      const related = events.data.filter((e) => JSON.stringify(e.data.object).includes(intent));
      ids = related.map((e) => e.id);
      return related.some((e) => e.type === 'payment_intent.succeeded');
    }, 20_000);
    let messages: StripeEventMessage[] = [];
    await waitFor('every delivery on the events queue', async () => {
      messages = await drainEventsQueue();
      return copiesOf(messages, ids).every((n) => n > 0);
    }, 20_000);
    expect(copiesOf(messages, ids)).toEqual(ids.map(() => 1));
    // Nothing written after the send: the worker's mark closes the record.
    const recorded = await statuses(ids);
    expect(ids.map((id) => recorded.get(id))).toEqual(ids.map(() => 'received'));
    const succeeded = messages.find((m) => ids.includes(m.eventId) && m.type === 'payment_intent.succeeded');
    expect(succeeded).toMatchObject({ livemode: false, payload: { id: succeeded?.eventId, object: 'event', data: { object: { id: intent } } } });
  }, 60_000);

  it('enqueues an event whose earlier delivery crashed after recording it, once', async () => {
    const id = `evt_crashed${randomUUID().replaceAll('-', '')}`;
    const crashedAt = Date.now() - 120_000;
    await dynamo.send(
      new PutItemCommand({
        TableName: stack.tables.webhook_idempotency!.name,
        Item: { eventId: { S: id }, type: { S: 'payment_intent.succeeded' }, status: { S: 'received' }, receivedAt: { N: String(crashedAt) }, leaseUntil: { N: String(crashedAt + 30_000) }, ttl: { N: String(Math.floor(crashedAt / 1000) + 30 * 86_400) } },
      }),
    );
    const event = signedEvent(id);
    const webhook = `${stack.apiUrl}/stripe/webhook`;
    expect(await deliverOnce(webhook, event.body, event.header)).toBe(200);
    // Taken over with a new lease: the next delivery finds it in flight, not yet processed.
    expect(await deliverOnce(webhook, event.body, event.header)).toBe(409);
    expect(copiesOf(await drainEventsQueue(), [id])).toEqual([1]);
    expect((await statuses([id])).get(id)).toBe('received');

    await new DynamoStripeEventStore(dynamo, stack.tables.webhook_idempotency!.name).markProcessed(id, Date.now(), 30 * 86_400);
    expect(await deliverOnce(webhook, event.body, event.header)).toBe(200);
    expect(copiesOf(await drainEventsQueue(), [id])).toEqual([1]);
  });

  it('drill: 50 distinct events, each delivered 20 times at once, make exactly 50 messages and 50 records; once processed, a redelivery queues nothing', async () => {
    const webhook = `${stack.apiUrl}/stripe/webhook`;
    const ids = Array.from({ length: 50 }, (_, i) => `evt_drill${i}x${randomUUID().replaceAll('-', '')}`);
    const events = ids.map((id) => signedEvent(id, { type: 'charge.refunded' }));
    // Settled, not raced: no delivery may still be running when the stack stops. Each delivery is
    // made once: with no worker, only the one that recorded the event is answered 200 inside the lease.
    const answers = await Promise.all(events.map((event) => Promise.all(Array.from({ length: 20 }, () => deliverOnce(webhook, event.body, event.header)))));
    const expected = [200, ...Array.from({ length: 19 }, () => 409)];
    expect(answers.map((each) => [...each].sort())).toEqual(ids.map(() => expected));

    expect(copiesOf(await drainEventsQueue(), ids)).toEqual(ids.map(() => 1));
    const recorded = await statuses(ids);
    expect(recorded.size).toBe(50);
    expect([...recorded.values()].every((s) => s === 'received')).toBe(true);

    const store = new DynamoStripeEventStore(dynamo, stack.tables.webhook_idempotency!.name);
    for (const id of ids) await store.markProcessed(id, Date.now(), 30 * 86_400);
    const again = await Promise.all(events.map((event) => deliverOnce(webhook, event.body, event.header)));
    expect(again).toEqual(ids.map(() => 200));
    expect(copiesOf(await drainEventsQueue(), ids)).toEqual(ids.map(() => 1));
  }, 120_000);
});
