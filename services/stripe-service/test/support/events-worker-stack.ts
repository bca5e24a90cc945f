// The local stack's emulators (dynalite, fauxqs) with every resource of resources.json, for the
// events worker's drills: the worker itself is run by each test (in this process or a child one),
// records are seeded through the real adapters, and a queue subscribed to the billing events topic
// listens as an entitlement service would.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startLocalStack, type LocalStack } from '../../../../scripts/dev-stack/index';
import { DynamoCustomerRepository } from '../../src/adapters/dynamodb/dynamo-customer-repository';
import { DynamoPaymentRepository } from '../../src/adapters/dynamodb/dynamo-payment-repository';
import { DynamoStripeEventStore } from '../../src/adapters/dynamodb/dynamo-stripe-event-store';
import { SqsStripeEventQueue } from '../../src/adapters/sqs/sqs-stripe-event-queue';
import type { StripeEventMessage } from '../../src/application/ports/stripe-event-queue';
import type { Payment } from '../../src/domain/payment';
import { subscribeQueue } from './billing-topic';
import { samplePayment } from './sample-payment';

export interface WorkerStack {
  stack: LocalStack;
  dynamo: DynamoDBClient;
  sqs: SQSClient;
  sns: SNSClient;
  payments: DynamoPaymentRepository;
  events: DynamoStripeEventStore;
  /** A queue subscribed to the billing events topic (raw delivery, no filter). */
  listenerUrl: string;
  seedCustomer(userId: string, stripeCustomerId: string): Promise<void>;
  seedPayment(userId: string, stripeCustomerId: string, overrides?: Partial<Payment>): Promise<Payment>;
  enqueue(messages: StripeEventMessage[]): Promise<void>;
  /** How many of these events the webhook table records as processed. */
  processedCount(eventIds: string[]): Promise<number>;
  stop(): Promise<void>;
}

export async function startWorkerStack(options: { visibilityTimeoutSeconds?: number } = {}): Promise<WorkerStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'worker-drill-'));
  const stack = await startLocalStack({ dataDir, api: false, workers: false, dynamodbPort: 0, sqsPort: 0, stripePort: 0, quiet: true });
  const credentials = { accessKeyId: stack.env.AWS_ACCESS_KEY_ID!, secretAccessKey: stack.env.AWS_SECRET_ACCESS_KEY! };
  const config = { region: stack.region, credentials };
  const dynamo = new DynamoDBClient({ ...config, endpoint: stack.endpoints.dynamodb });
  const sqs = new SQSClient({ ...config, endpoint: stack.endpoints.sqs });
  const sns = new SNSClient({ ...config, endpoint: stack.endpoints.sns });
  const queue = stack.queues.stripe_events!;
  // A failed delivery comes back after the visibility timeout; the drills do not wait three minutes for it.
  if (options.visibilityTimeoutSeconds !== undefined) {
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queue.url, Attributes: { VisibilityTimeout: String(options.visibilityTimeoutSeconds) } }));
  }
  const customers = new DynamoCustomerRepository(dynamo, stack.env.STRIPE_CUSTOMERS_TABLE!);
  const payments = new DynamoPaymentRepository(dynamo, stack.env.PAYMENTS_TABLE!);
  const events = new DynamoStripeEventStore(dynamo, stack.env.WEBHOOK_IDEMPOTENCY_TABLE!);
  const eventQueue = new SqsStripeEventQueue(sqs, queue.url);
  const listenerUrl = await subscribeQueue(sns, sqs, stack.topics.billing_events!.arn);
  return {
    stack,
    dynamo,
    sqs,
    sns,
    payments,
    events,
    listenerUrl,
    async seedCustomer(userId, stripeCustomerId) {
      const now = new Date().toISOString();
      await customers.insertIfAbsent({ userId, email: undefined, role: 'user', status: 'creating', stripeCustomerId: undefined, leaseExpiresAt: 1, createdAt: now, updatedAt: now });
      await customers.complete(userId, stripeCustomerId, undefined, now);
    },
    async seedPayment(userId, stripeCustomerId, overrides = {}) {
      const payment = samplePayment(userId, { stripeCustomerId, amount: 2000, ...overrides });
      await payments.create(payment);
      return payment;
    },
    async enqueue(messages) {
      await Promise.all(messages.map((m) => eventQueue.enqueue(m)));
    },
    async processedCount(eventIds) {
      const records = await Promise.all(eventIds.map((id) => events.get(id)));
      return records.filter((r) => r?.status === 'processed').length;
    },
    async stop() {
      dynamo.destroy();
      sqs.destroy();
      sns.destroy();
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it holds, failing with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
