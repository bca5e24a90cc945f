import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import Stripe from 'stripe';
import { loadConfig, type VariableName } from '../../../services/stripe-service/src/config';
import { loadNotificationConfig, NOTIFICATION_VARIABLES } from '../../../services/notification-service/src/config';
import { loadResources } from '../../lib/resources';
import { startStripeSimulator } from '../../stripe-simulator/index';
import { describe as describeStack, startLocalStack, WEBHOOK_ROUTE, type LocalStack } from '../index';
import { registerLocalWebhookEndpoint } from '../webhook-endpoint';
import { PortInUseError } from '../http-api';

const resources = loadResources();
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const ports = { apiPort: 0, dynamodbPort: 0, sqsPort: 0, stripePort: 0 };
let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'local-stack-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

async function withStack<T>(options: { fresh?: boolean; stripeSecretKey?: string; stripeWebhookSecret?: string; workers?: boolean }, body: (stack: LocalStack) => Promise<T>): Promise<T> {
  const stack = await startLocalStack({ dataDir, ...ports, quiet: true, ...options });
  try {
    return await body(stack);
  } finally {
    await stack.stop();
  }
}

const secretsOf = () => JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')) as Record<string, string>;

describe('the local stack', () => {
  it('creates every table, queue, topic and subscription of resources.json as declared', async () => {
    // Without workers, so that what the subscription delivers stays in the queue to be looked at.
    await withStack({ workers: false }, async (stack) => {
      const dynamo = new DynamoDBClient({ region: stack.region, endpoint: stack.endpoints.dynamodb, credentials });
      const sqs = new SQSClient({ region: stack.region, endpoint: stack.endpoints.sqs, credentials });
      const sns = new SNSClient({ region: stack.region, endpoint: stack.endpoints.sns, credentials });
      try {
        for (const table of resources.tables) {
          const name = `stripe-payments-local-${table.name}`;
          expect(stack.tables[table.id]).toEqual({ name, env: table.env });
          const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: name }));
          expect(Table?.KeySchema).toEqual([
            { AttributeName: table.hashKey.name, KeyType: 'HASH' },
            ...(table.rangeKey ? [{ AttributeName: table.rangeKey.name, KeyType: 'RANGE' }] : []),
          ]);
          expect((Table?.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName)).toEqual((table.globalSecondaryIndexes ?? []).map((g) => g.name));
        }
        for (const queue of resources.queues) {
          const details = stack.queues[queue.id]!;
          const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: details.url, AttributeNames: ['All'] }));
          expect(Attributes?.VisibilityTimeout).toBe(String(queue.visibilityTimeoutSeconds));
          expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}')).toMatchObject({ deadLetterTargetArn: details.dlq.arn });
          expect(Number(JSON.parse(Attributes?.RedrivePolicy ?? '{}').maxReceiveCount)).toBe(queue.deadLetter.maxReceiveCount);
        }

        // The notifications subscription: raw delivery, and only the types its filter policy names.
        const topic = stack.topics.billing_events!;
        const publish = (type: string) =>
          sns.send(new PublishCommand({ TopicArn: topic.arn, Message: JSON.stringify({ type }), MessageAttributes: { type: { DataType: 'String', StringValue: type } } }));
        await publish('customer.updated');
        await publish('payment.successful');
        const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: stack.queues.notifications!.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
        expect((received.Messages ?? []).map((m) => m.Body)).toEqual([JSON.stringify({ type: 'payment.successful' })]);
      } finally {
        dynamo.destroy();
        sqs.destroy();
        sns.destroy();
      }
    });
  }, 30_000);

  it('gives the functions every variable the service configuration reads, and describes itself in dev-stack.json', async () => {
    await withStack({}, async (stack) => {
      const names = Object.keys(stack.env).filter((name) => !name.startsWith('AWS_ACCESS') && !name.startsWith('AWS_SECRET') && !name.startsWith('POWERTOOLS') && name !== 'LOG_LEVEL');
      // Every variable is one of the payments service's or of the notification worker's, and each loads.
      const notificationOnly = new Set<string>(NOTIFICATION_VARIABLES);
      expect(() => loadConfig(names.filter((name) => !notificationOnly.has(name)) as VariableName[], stack.env)).not.toThrow();
      expect(loadNotificationConfig(stack.env)).toMatchObject({ MAILER: 'outbox', MAIL_OUTBOX_DIR: stack.outboxDir });
      for (const table of resources.tables) expect(stack.env[table.env]).toBe(stack.tables[table.id]!.name);
      expect(stack.env.STRIPE_API_URL).toBe(stack.stripeUrl);
      expect(process.env.STRIPE_CUSTOMERS_TABLE).toBe('stripe-payments-local-stripe-customers');
      const written = JSON.parse(readFileSync(join(dataDir, 'dev-stack.json'), 'utf8')) as unknown;
      expect(written).toEqual(JSON.parse(JSON.stringify(describeStack(stack))));
      expect(written).toMatchObject({ apiUrl: stack.apiUrl, stripe: { url: stack.stripeUrl }, region: 'us-east-1' });
    });
  }, 30_000);

  it('registers its webhook route with the simulator when a function serves it, replacing earlier local registrations', async () => {
    const served = resources.functions.some((fn) => fn.routes?.includes(WEBHOOK_ROUTE));
    for (let run = 0; run < 2; run += 1) {
      await withStack({}, async (stack) => {
        const stripe = new Stripe(secretsOf()['stripe-payments-local-stripe-secret-key']!, { host: '127.0.0.1', port: new URL(stack.stripeUrl).port, protocol: 'http' });
        const endpoints = await stripe.webhookEndpoints.list();
        expect(endpoints.data.map((e) => e.url)).toEqual(served ? [`${stack.apiUrl}/stripe/webhook`] : []);
      });
    }
  }, 30_000);

  it('registers the webhook endpoint through Stripe\'s API and returns the signing secret, dropping stale local endpoints', async () => {
    const simulator = await startStripeSimulator({ port: 0 });
    try {
      const key = 'sk_test_localregistration';
      const first = await registerLocalWebhookEndpoint(simulator.url, key, 'http://127.0.0.1:3000/stripe/webhook');
      const second = await registerLocalWebhookEndpoint(simulator.url, key, 'http://127.0.0.1:3999/stripe/webhook');
      expect(first).toMatch(/^whsec_/);
      expect(second).toMatch(/^whsec_/);
      expect(second).not.toBe(first);
      const stripe = new Stripe(key, { host: '127.0.0.1', port: simulator.port, protocol: 'http' });
      expect((await stripe.webhookEndpoints.list()).data.map((e) => e.url)).toEqual(['http://127.0.0.1:3999/stripe/webhook']);
    } finally {
      await simulator.stop();
    }
  });

  it('uses a real test-mode key only for the run it is given to, and removes dev-stack.json when stopped', async () => {
    await withStack({ stripeSecretKey: 'sk_test_realkeyforonerun', stripeWebhookSecret: 'whsec_fromstripelisten' }, async (stack) => {
      expect(stack.stripeUrl).toBe('https://api.stripe.com');
      expect(stack.env.STRIPE_API_URL).toBeUndefined();
      expect(secretsOf()['stripe-payments-local-stripe-secret-key']).toBe('sk_test_realkeyforonerun');
      expect(secretsOf()['stripe-payments-local-stripe-webhook-secret']).toBe('whsec_fromstripelisten');
    });
    expect(existsSync(join(dataDir, 'dev-stack.json'))).toBe(false);
    await withStack({}, async (stack) => {
      expect(stack.env.STRIPE_API_URL).toBe(stack.stripeUrl);
      expect(secretsOf()['stripe-payments-local-stripe-secret-key']).toMatch(/^sk_test_local/);
    });
  }, 30_000);

  it('keeps DynamoDB items, Stripe objects and secrets across restarts, and forgets them with fresh', async () => {
    const key = { userId: { S: 'persisted-user' } };
    const table = 'stripe-payments-local-stripe-customers';
    const first = await withStack({}, async (stack) => {
      const dynamo = new DynamoDBClient({ region: stack.region, endpoint: stack.endpoints.dynamodb, credentials });
      await dynamo.send(new PutItemCommand({ TableName: table, Item: { ...key, email: { S: 'p@example.com' } } }));
      dynamo.destroy();
      const stripe = new Stripe(secretsOf()['stripe-payments-local-stripe-secret-key']!, { host: '127.0.0.1', port: new URL(stack.stripeUrl).port, protocol: 'http' });
      const customer = await stripe.customers.create({ email: 'p@example.com' });
      return { customerId: customer.id, jwt: secretsOf()['stripe-payments-local-jwt-access-token-secret'] };
    });
    const read = (fresh: boolean) =>
      withStack({ fresh }, async (stack) => {
        const dynamo = new DynamoDBClient({ region: stack.region, endpoint: stack.endpoints.dynamodb, credentials });
        const item = await dynamo.send(new GetItemCommand({ TableName: table, Key: key }));
        dynamo.destroy();
        const stripe = new Stripe(secretsOf()['stripe-payments-local-stripe-secret-key']!, { host: '127.0.0.1', port: new URL(stack.stripeUrl).port, protocol: 'http' });
        const customers = await stripe.customers.list({ email: 'p@example.com' });
        return { item: item.Item, customers: customers.data.map((c) => c.id), jwt: secretsOf()['stripe-payments-local-jwt-access-token-secret'] };
      });
    const restarted = await read(false);
    expect(restarted.item?.email).toEqual({ S: 'p@example.com' });
    expect(restarted.customers).toEqual([first.customerId]);
    expect(restarted.jwt).toBe(first.jwt);
    const fresh = await read(true);
    expect(fresh.item).toBeUndefined();
    expect(fresh.customers).toEqual([]);
    expect(fresh.jwt).not.toBe(first.jwt);
  }, 60_000);

  it.each([
    ['the API', 'apiPort'],
    ['SQS and SNS (fauxqs)', 'sqsPort'],
    ['DynamoDB (dynalite)', 'dynamodbPort'],
  ] as const)('reports a taken port for %s clearly and leaves nothing running behind', async (what, option) => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const taken = (blocker.address() as AddressInfo).port;
    try {
      const attempt = startLocalStack({ dataDir, ...ports, [option]: taken, quiet: true });
      await expect(attempt).rejects.toBeInstanceOf(PortInUseError);
      await expect(attempt).rejects.toThrow(`port ${taken} (${what}) is already in use`);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
    // Everything started before the failure was stopped: the data directory's database is free again.
    await withStack({}, async (stack) => {
      const dynamo = new DynamoDBClient({ region: stack.region, endpoint: stack.endpoints.dynamodb, credentials });
      await dynamo.send(new PutItemCommand({ TableName: 'stripe-payments-local-stripe-customers', Item: { userId: { S: 'after-failure' } } }));
      dynamo.destroy();
    });
  }, 30_000);
});
