import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startFauxqs } from 'fauxqs';
import Stripe from 'stripe';
import { loadResources } from '../../../../scripts/lib/resources';
import { dynamoClient, ensureTable, startDynalite, TEST_CREDENTIALS, TEST_REGION, type Emulator } from '../../../../scripts/testing/emulators';
import { httpEvent, lambdaContext } from '../../../../shared/test/support/api-gateway-event';
import { captureOutput } from '../../../../shared/test/support/capture-output';
import { DynamoStripeEventStore } from '../../src/adapters/dynamodb/dynamo-stripe-event-store';
import type { StripeEventMessage } from '../../src/application/ports/stripe-event-queue';

// The webhook function as deployed: its own composition root, configured only through the
// environment, against DynamoDB (dynalite), SQS (fauxqs) and the local secrets file holding two
// signing secrets, as while one is rolled.

const stripe = new Stripe('sk_test_unused');
const TABLE = 'webhook-test-idempotency';
const SECRETS = { current: 'whsec_currentsecret1', previous: 'whsec_previoussecret' };
let dynamo: Emulator;
let fauxqs: Awaited<ReturnType<typeof startFauxqs>>;
let db: DynamoDBClient;
let sqs: SQSClient;
let queueUrl: string;

beforeAll(async () => {
  [dynamo, fauxqs] = await Promise.all([startDynalite(), startFauxqs({ port: 0, logger: false })]);
  const table = loadResources().tables.find((t) => t.id === 'webhook_idempotency');
  if (!table) throw new Error('no webhook_idempotency table');
  db = dynamoClient(dynamo.endpoint);
  await ensureTable(db, table, TABLE);
  sqs = new SQSClient({ region: TEST_REGION, endpoint: fauxqs.address, credentials: TEST_CREDENTIALS });
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'webhook-test-events' }))).QueueUrl!;
  const secretsFile = join(mkdtempSync(join(tmpdir(), 'webhook-')), 'secrets.json');
  writeFileSync(secretsFile, JSON.stringify({ 'proj-test-stripe-webhook-secret': `${SECRETS.current}\n${SECRETS.previous}` }));
  Object.assign(process.env, {
    PROJECT_NAME: 'proj',
    ENVIRONMENT: 'test',
    AWS_REGION: TEST_REGION,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SQS: fauxqs.address,
    WEBHOOK_IDEMPOTENCY_TABLE: TABLE,
    STRIPE_EVENTS_QUEUE_URL: queueUrl,
    SECRETS_SOURCE: 'file',
    SECRETS_FILE: secretsFile,
    // The metrics are part of what is tested here; the function reads this when first loaded.
    POWERTOOLS_METRICS_DISABLED: 'false',
    POWERTOOLS_LOG_LEVEL: 'INFO',
  });
  delete process.env.STRIPE_LIVEMODE;
}, 30_000);

afterAll(async () => {
  db?.destroy();
  sqs?.destroy();
  await Promise.all([dynamo?.stop(), fauxqs?.stop()]);
});

let n = 0;
function stripeEvent(overrides: Record<string, unknown> = {}): { id: string; body: string } {
  n += 1;
  const id = `evt_handler${n}`;
  const body = JSON.stringify(
    { id, object: 'event', type: 'payment_intent.succeeded', created: 1_767_225_600, livemode: false, data: { object: { id: 'pi_1', description: 'naïve café ☕\t"x"' } }, ...overrides },
    null,
    2,
  );
  return { id, body };
}

function delivery(body: string, options: { secret?: string; base64?: boolean; header?: string | null } = {}) {
  const header = options.header === undefined ? stripe.webhooks.generateTestHeaderString({ payload: body, secret: options.secret ?? SECRETS.current }) : options.header;
  return httpEvent('POST /stripe/webhook', {
    headers: { 'content-type': 'application/json; charset=utf-8', ...(header === null ? {} : { 'Stripe-Signature': header }) },
    body: options.base64 ? Buffer.from(body, 'utf8').toString('base64') : body,
    isBase64Encoded: options.base64 ?? false,
  });
}

async function invoke(event: ReturnType<typeof httpEvent>) {
  const { handler } = await import('../../src/handlers/webhook/index');
  // Powertools writes warnings and errors to stderr, the rest (and the metrics) to stdout.
  const { result: inner, written: errors } = await captureOutput('stderr', () => captureOutput('stdout', () => handler(event, lambdaContext)));
  const { result, written } = inner;
  return { status: result.statusCode, body: JSON.parse(result.body ?? '{}') as Record<string, unknown>, headers: result.headers ?? {}, written: `${written}${errors}` };
}

async function queued(): Promise<StripeEventMessage[]> {
  const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 300 }));
  return Messages.map((m) => JSON.parse(m.Body ?? '{}') as StripeEventMessage);
}

async function records(): Promise<number> {
  return (await db.send(new ScanCommand({ TableName: TABLE }))).Items?.length ?? 0;
}

describe('the webhook function', () => {
  it('verifies a base64 body from API Gateway over its exact bytes, queues the event and answers 200; a redelivery queues nothing: 409 until the worker processed it, then 200', async () => {
    const { id, body } = stripeEvent();
    const first = await invoke(delivery(body, { base64: true }));
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ received: true });
    expect(first.written).toContain('WebhookReceived');
    const inFlight = await invoke(delivery(body));
    expect(inFlight.status).toBe(409);
    expect(inFlight.headers['content-type']).toBe('application/problem+json');
    expect(inFlight.headers['retry-after']).toBe('5');
    expect(inFlight.body).toMatchObject({ code: 'webhook_event_in_progress', status: 409 });
    // What the events worker does once it has applied the event.
    await new DynamoStripeEventStore(db, TABLE).markProcessed(id, Date.now(), 3600);
    const again = await invoke(delivery(body, { secret: SECRETS.previous }));
    expect(again.status).toBe(200);
    expect(again.written).toContain('WebhookDuplicate');
    const messages = await queued();
    expect(messages).toEqual([{ eventId: id, type: 'payment_intent.succeeded', created: 1_767_225_600, livemode: false, payload: JSON.parse(body) }]);
  });

  it('refuses a bad or missing signature with 400 webhook_signature_invalid, counted, nothing recorded or queued', async () => {
    const before = await records();
    const { body } = stripeEvent();
    for (const event of [delivery(body, { secret: 'whsec_unknownsecret' }), delivery(body, { header: null }), delivery(`${body} `, { header: stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRETS.current }) })]) {
      const answer = await invoke(event);
      expect(answer.status).toBe(400);
      expect(answer.headers['content-type']).toBe('application/problem+json');
      expect(answer.body).toMatchObject({ code: 'webhook_signature_invalid', status: 400 });
      expect(answer.written).toContain('WebhookSignatureInvalid');
      expect(answer.written).not.toContain(SECRETS.current);
    }
    expect(await records()).toBe(before);
    expect(await queued()).toEqual([]);
  });

  it('answers 413 to an oversize body before anything else, and 400 to signed JSON that is no event', async () => {
    const big = await invoke(delivery(`{"id":"evt_big","pad":"${'x'.repeat(250 * 1024)}"}`));
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ code: 'payload_too_large' });
    const broken = await invoke(delivery('{"id": "evt_broken", '));
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ code: 'malformed_json' });
    const notEvent = await invoke(delivery(JSON.stringify({ hello: 'world' })));
    expect(notEvent.body).toMatchObject({ code: 'malformed_event' });
    expect(await queued()).toEqual([]);
  });

  it('drops a live-mode event on this test-mode stack with 200, counted, never queued', async () => {
    const { body } = stripeEvent({ livemode: true });
    const answer = await invoke(delivery(body));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ received: true, ignored: 'livemode_mismatch' });
    expect(answer.written).toContain('WebhookLivemodeMismatch');
    expect(await queued()).toEqual([]);
  });

  it('answers 503 with Retry-After when the queue is down, then when the table is down, leaving the record received for the next delivery', async () => {
    await fauxqs.stop();
    const { id, body } = stripeEvent();
    const queueDown = await invoke(delivery(body));
    expect(queueDown.status).toBe(503);
    expect(queueDown.body).toMatchObject({ code: 'queue_unavailable' });
    expect(queueDown.headers['retry-after']).toBeDefined();
    expect(queueDown.written).toContain('dependency failure');
    const record = await db.send(new ScanCommand({ TableName: TABLE }));
    expect(record.Items?.find((item) => item.eventId?.S === id)?.status?.S).toBe('received');

    await dynamo.stop();
    const tableDown = await invoke(delivery(stripeEvent().body));
    expect(tableDown.status).toBe(503);
    expect(tableDown.body).toMatchObject({ code: 'database_unavailable' });
  }, 30_000);
});
