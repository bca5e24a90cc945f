// The operator tools on the local stack's real emulators (dynalite, fauxqs, the Stripe simulator)
// with the real functions, run as an operator runs them: `npm run redrive` and `npm run replay` as
// separate processes that find the stack through its .data/dev-stack.json. (The notifications
// queue's drill, with the notification worker, is in services/notification-service/test/e2e.)
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { ChangeMessageVisibilityCommand, ReceiveMessageCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import Stripe from 'stripe';
import { startLocalStack, type LocalStack } from '../../../../scripts/dev-stack/index';
import { loadResources, repoRoot } from '../../../../scripts/lib/resources';
import { DynamoPaymentRepository } from '../../src/adapters/dynamodb/dynamo-payment-repository';
import { SqsQueueDepthReader } from '../../src/adapters/sqs/sqs-queue-depth-reader';
import { samplePayment } from '../support/sample-payment';

const run = promisify(execFile);
const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
const resources = loadResources();
const maxReceiveCount = (id: string) => resources.queues.find((q) => q.id === id)!.deadLetter.maxReceiveCount;

interface Running {
  stack: LocalStack;
  dataDir: string;
  sqs: SQSClient;
  dynamo: DynamoDBClient;
  stripe: Stripe;
  stop(): Promise<void>;
}

async function start(workers: boolean): Promise<Running> {
  const dataDir = mkdtempSync(join(tmpdir(), 'e2e-ops-'));
  const stack = await startLocalStack({ dataDir, apiPort: 0, dynamodbPort: 0, sqsPort: 0, stripePort: 0, quiet: true, workers });
  const clientConfig = { region: stack.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  const sqs = new SQSClient({ ...clientConfig, endpoint: stack.endpoints.sqs });
  const dynamo = new DynamoDBClient({ ...clientConfig, endpoint: stack.endpoints.dynamodb });
  const secrets = JSON.parse(readFileSync(stack.secretsFile, 'utf8')) as Record<string, string>;
  const url = new URL(stack.stripeUrl);
  const stripe = new Stripe(secrets[`${stack.projectName}-${stack.environment}-stripe-secret-key`]!, { host: url.hostname, port: url.port, protocol: 'http', telemetry: false, maxNetworkRetries: 0 });
  return {
    stack,
    dataDir,
    sqs,
    dynamo,
    stripe,
    stop: async () => {
      sqs.destroy();
      dynamo.destroy();
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const cli = (running: Running, script: string, args: string[]) =>
  run(tsx, [join(repoRoot, 'scripts', script), ...args], {
    cwd: repoRoot,
    env: { ...process.env, LOCAL_STACK_DATA_DIR: running.dataDir, ENVIRONMENT: '', NODE_OPTIONS: '' },
    timeout: 60_000,
  });

async function waitFor(what: string, condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function eventStatus(running: Running, eventId: string): Promise<string | undefined> {
  const { Item } = await running.dynamo.send(new GetItemCommand({ TableName: running.stack.tables.webhook_idempotency!.name, Key: { eventId: { S: eventId } }, ConsistentRead: true }));
  return Item?.status?.S;
}

describe('a poison message on the events queue', () => {
  let running: Running;
  beforeAll(async () => {
    running = await start(true);
    // Retries come after the visibility timeout (180 s in resources.json); one second here lets
    // maxReceiveCount deliveries happen within the test, as they would in AWS in 15 minutes.
    await running.sqs.send(new SetQueueAttributesCommand({ QueueUrl: running.stack.queues.stripe_events!.url, Attributes: { VisibilityTimeout: '1' } }));
  }, 60_000);
  afterAll(async () => running?.stop());

  it('is retried maxReceiveCount times, dead-lettered, and once fixed, redriven and processed', async () => {
    const { stack, sqs, dynamo, stripe } = running;
    const table = stack.tables.payments!.name;
    const userId = `drill-${randomUUID()}`;
    const customer = await stripe.customers.create({ email: `${userId}@example.com`, metadata: { userId } });
    const record = samplePayment(userId, { stripeCustomerId: customer.id, amount: 2000, currency: 'usd', status: 'pending', intentStatus: 'pending' });
    // The poison: our record of the payment is unreadable, so every event about it fails, transiently as far as the worker can tell.
    await dynamo.send(new PutItemCommand({ TableName: table, Item: { userId: { S: userId }, paymentId: { S: record.paymentId }, record: { S: '{"truncated":' } } }));

    const intent = await stripe.paymentIntents.create({
      amount: 2000,
      currency: 'usd',
      customer: customer.id,
      metadata: { userId, paymentId: record.paymentId },
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    expect(intent.status).toBe('succeeded');
    const succeeded = await stripe.events.list({ type: 'payment_intent.succeeded', limit: 10 });
    const eventId = succeeded.data.find((e) => (e.data.object as Stripe.PaymentIntent).id === intent.id)!.id;

    // Delivered by the simulator, enqueued by the webhook function, failed by the events worker until SQS gives up on it.
    const depths = new SqsQueueDepthReader(sqs);
    const dlq = stack.queues.stripe_events!.dlq.url;
    await waitFor('the event in the events dead-letter queue', async () => (await depths.depth(dlq)).visible > 0 && (await depths.depth(stack.queues.stripe_events!.url)).visible === 0, 60_000);
    const deadLetters = (await depths.depth(dlq)).visible;
    const peek = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq, MaxNumberOfMessages: 10, VisibilityTimeout: 1, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    const poisoned = (peek.Messages ?? []).find((m) => m.MessageAttributes?.eventId?.StringValue === eventId);
    expect(poisoned).toBeDefined();
    // The count travels with the message: maxReceiveCount failed deliveries to the worker, the
    // receive at which SQS moved it instead, and the look just taken.
    expect(Number(poisoned!.Attributes?.ApproximateReceiveCount)).toBe(maxReceiveCount('stripe_events') + 2);
    // Never processed: the record is as the ingress left it, which writes nothing after its send.
    expect(await eventStatus(running, eventId)).toBe('received');
    // Looked at, and put back.
    for (const m of peek.Messages ?? []) await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: dlq, ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 }));
    await waitFor('the dead letters visible again', async () => (await depths.depth(dlq)).visible === deadLetters);

    const dry = await cli(running, 'redrive.ts', ['events']);
    expect(dry.stdout).toContain(`would move ${deadLetters} message(s) with receive_send_delete`);
    expect((await depths.depth(dlq)).visible).toBe(deadLetters);

    // The fix: the record repaired.
    await dynamo.send(new DeleteItemCommand({ TableName: table, Key: { userId: { S: userId }, paymentId: { S: record.paymentId } } }));
    await new DynamoPaymentRepository(dynamo, table).create({ ...record, stripePaymentIntentId: intent.id });

    const applied = await cli(running, 'redrive.ts', ['stripe_events', '--apply']);
    expect(applied.stdout).toContain(`completed: moved ${deadLetters}, failed 0 (receive_send_delete)`);
    await waitFor('the redriven event processed', async () => (await eventStatus(running, eventId)) === 'processed');
    const repository = new DynamoPaymentRepository(dynamo, table);
    expect(await repository.get(userId, record.paymentId)).toMatchObject({ status: 'succeeded', amountReceived: 2000, lastStripeEventId: expect.any(String) });
    await waitFor('both queues empty', async () => (await depths.depth(dlq)).visible === 0 && (await depths.depth(stack.queues.stripe_events!.url)).visible === 0);
  }, 120_000);

  it('npm run replay feeds the events Stripe could not deliver, once, and the worker processes them', async () => {
    const { stripe } = running;
    // The outage: Stripe cannot reach the webhook endpoint.
    const endpoints = await stripe.webhookEndpoints.list();
    for (const endpoint of endpoints.data) await stripe.webhookEndpoints.update(endpoint.id, { disabled: true });
    try {
      const customers = await Promise.all([1, 2, 3].map((i) => stripe.customers.create({ email: `replay-${i}-${randomUUID()}@example.com` })));
      const events = (await stripe.events.list({ type: 'customer.created', limit: 100 })).data.filter((e) => customers.some((c) => c.id === (e.data.object as Stripe.Customer).id));
      expect(events).toHaveLength(3);
      for (const event of events) expect(await eventStatus(running, event.id)).toBeUndefined();

      const dry = await cli(running, 'replay.ts', ['--since', '10m', '--type', 'customer.created', '--dry-run']);
      expect(dry.stdout).toMatch(/done: \d+ seen, \d+ would be fed/);
      for (const event of events) expect(await eventStatus(running, event.id)).toBeUndefined();

      const fed = await cli(running, 'replay.ts', ['--since', '10m', '--type', 'customer.created']);
      expect(fed.stdout).toMatch(/done: \d+ seen, 3 fed/);
      expect(fed.stderr).toMatch(/page 1: /);
      for (const event of events) await waitFor(`${event.id} processed`, async () => (await eventStatus(running, event.id)) === 'processed');

      const again = await cli(running, 'replay.ts', ['--since', '10m', '--type', 'customer.created']);
      expect(again.stdout).toMatch(/done: (\d+) seen, 0 fed, \1 already processed/);
    } finally {
      for (const endpoint of endpoints.data) await stripe.webhookEndpoints.update(endpoint.id, { disabled: false });
    }
  }, 120_000);
});
