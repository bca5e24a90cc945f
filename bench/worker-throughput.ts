// Throughput of the events worker on the local stack's emulators (dynalite, fauxqs): N Stripe
// events on the events queue, drained by the local event source mapping in batches of 10 into the
// function's handler, next to the same I/O made directly with the SDK in the same run (per batch a
// receive and a delete; per event the webhook record read, the payment read, its conditional
// write, the SNS publish and the processed mark), so the ratio shows what the worker adds.
// Usage: npm run bench:worker -- [--events 2000] [--concurrency 1]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse } from 'aws-lambda';
import { startLocalStack } from '../scripts/dev-stack/index';
import { invoke, loadHandler } from '../scripts/dev-stack/lambda-runtime';
import { startSqsPoller } from '../scripts/dev-stack/sqs-poller';
import { loadResources } from '../scripts/lib/resources';
import { DynamoCustomerRepository } from '../services/stripe-service/src/adapters/dynamodb/dynamo-customer-repository';
import { DynamoPaymentRepository } from '../services/stripe-service/src/adapters/dynamodb/dynamo-payment-repository';
import type { Payment } from '../services/stripe-service/src/domain/payment';
import { samplePayment } from '../services/stripe-service/test/support/sample-payment';
import { intentObject, stripeEvent } from '../services/stripe-service/test/support/stripe-event-payloads';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const EVENTS = arg('events', 2000);
const CONCURRENCY = arg('concurrency', 1);
const BATCH = 10;
const USER = 'bench-worker-user';
const CUSTOMER = 'cus_bench';

const dataDir = mkdtempSync(join(tmpdir(), 'bench-worker-'));
const stack = await startLocalStack({ dataDir, api: false, workers: false, dynamodbPort: 0, sqsPort: 0, stripePort: 0, quiet: true });
const config = { region: stack.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
const dynamo = new DynamoDBClient({ ...config, endpoint: stack.endpoints.dynamodb });
const sqs = new SQSClient({ ...config, endpoint: stack.endpoints.sqs });
const sns = new SNSClient({ ...config, endpoint: stack.endpoints.sns });
const env = stack.env;

async function seedPayments(count: number): Promise<Payment[]> {
  const repository = new DynamoPaymentRepository(dynamo, env.PAYMENTS_TABLE!);
  const made: Payment[] = [];
  for (let i = 0; i < count; i += 50) {
    const chunk = Array.from({ length: Math.min(50, count - i) }, () => samplePayment(USER, { stripeCustomerId: CUSTOMER, amount: 2000 }));
    await Promise.all(chunk.map((p) => repository.create(p)));
    made.push(...chunk);
  }
  return made;
}

async function fill(queueUrl: string, bodies: string[]): Promise<void> {
  for (let i = 0; i < bodies.length; i += 100) {
    const slice = bodies.slice(i, i + 100);
    await Promise.all(
      Array.from({ length: Math.ceil(slice.length / 10) }, (_, j) =>
        sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: slice.slice(j * 10, j * 10 + 10).map((body, k) => ({ Id: String(k), MessageBody: body })) })),
      ),
    );
  }
}

const bodiesFor = (payments: Payment[]) =>
  payments.map((p) =>
    JSON.stringify(stripeEvent('payment_intent.succeeded', intentObject({ id: p.stripePaymentIntentId, status: 'succeeded', customer: CUSTOMER, metadata: { userId: USER, paymentId: p.paymentId } }), { created: p.stripeUpdatedAt + 10 })),
  );

try {
  const customers = new DynamoCustomerRepository(dynamo, env.STRIPE_CUSTOMERS_TABLE!);
  const now = new Date().toISOString();
  await customers.insertIfAbsent({ userId: USER, email: undefined, role: 'user', status: 'creating', stripeCustomerId: undefined, leaseExpiresAt: 1, createdAt: now, updatedAt: now });
  await customers.complete(USER, CUSTOMER, undefined, now);
  const [workerPayments, ioPayments] = [await seedPayments(EVENTS), await seedPayments(EVENTS)];
  const queue = stack.queues.stripe_events!;
  await fill(queue.url, bodiesFor(workerPayments));
  const ioQueueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'bench-worker-io' }))).QueueUrl!;
  const ioBodies = bodiesFor(ioPayments);
  await fill(ioQueueUrl, ioBodies);

  // The worker: the local event source mapping, CONCURRENCY pollers, batches of 10.
  const fn = loadResources().functions.find((f) => f.id === 'events-worker')!;
  const handler = await loadHandler(fn);
  await invoke(fn, handler, { Records: [] }, stack.region); // cold start outside the measurement
  let done = 0;
  let failed = 0;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const started = performance.now();
  const pollers = Array.from({ length: CONCURRENCY }, () =>
    startSqsPoller({
      client: sqs,
      queueUrl: queue.url,
      queueArn: queue.arn,
      region: stack.region,
      batchSize: BATCH,
      invoke: async (event) => {
        const response = (await invoke(fn, handler, event, stack.region)) as SQSBatchResponse;
        failed += response.batchItemFailures.length;
        done += event.Records.length - response.batchItemFailures.length;
        if (done >= EVENTS) finish();
        return response;
      },
      onError: (error) => console.error(`worker: ${error instanceof Error ? error.message : String(error)}`),
    }),
  );
  await finished;
  const workerMs = performance.now() - started;
  await Promise.all(pollers.map((p) => p.stop()));

  // The same I/O without the worker: same batches, same calls per event, same concurrency.
  const topicArn = stack.topics.billing_events!.arn;
  let ioDone = 0;
  const ioStarted = performance.now();
  const ioPoller = async () => {
    while (ioDone < EVENTS) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: ioQueueUrl, MaxNumberOfMessages: BATCH, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['All'] }));
      await Promise.all(
        Messages.map(async (m) => {
          const message = JSON.parse(m.Body!) as { eventId: string; payload: { data: { object: { metadata: { paymentId: string } } } } };
          const key = { userId: { S: USER }, paymentId: { S: message.payload.data.object.metadata.paymentId } };
          await dynamo.send(new GetItemCommand({ TableName: env.WEBHOOK_IDEMPOTENCY_TABLE!, Key: { eventId: { S: message.eventId } }, ConsistentRead: true }));
          const item = (await dynamo.send(new GetItemCommand({ TableName: env.PAYMENTS_TABLE!, Key: key, ConsistentRead: true }))).Item!;
          await dynamo.send(new PutItemCommand({ TableName: env.PAYMENTS_TABLE!, Item: { ...item, version: { N: '2' } }, ConditionExpression: '#v = :v', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':v': { N: '1' } } }));
          await sns.send(new PublishCommand({ TopicArn: topicArn, Message: m.Body!, MessageAttributes: { type: { DataType: 'String', StringValue: 'payment.successful' }, userId: { DataType: 'String', StringValue: USER } } }));
          await dynamo.send(
            new UpdateItemCommand({ TableName: env.WEBHOOK_IDEMPOTENCY_TABLE!, Key: { eventId: { S: message.eventId } }, UpdateExpression: 'SET #s = :p', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':p': { S: 'processed' } } }),
          );
        }),
      );
      if (Messages.length > 0) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: ioQueueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
      ioDone += Messages.length;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, ioPoller));
  const ioMs = performance.now() - ioStarted;

  const left = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes?.ApproximateNumberOfMessages;
  const workerRate = (EVENTS / workerMs) * 1000;
  const ioRate = (EVENTS / ioMs) * 1000;
  console.log(`events worker, ${EVENTS} payment_intent.succeeded events, batch size ${BATCH}, ${CONCURRENCY} concurrent batch(es), dynalite + fauxqs on this machine`);
  console.log(`  worker:        ${workerRate.toFixed(0).padStart(6)} events/s  (${(workerMs / 1000).toFixed(2)} s; retried ${failed}; left on queue ${left})`);
  console.log(`  its own I/O:   ${ioRate.toFixed(0).padStart(6)} events/s  (${(ioMs / 1000).toFixed(2)} s; receive + delete per batch, 2 GetItem + PutItem + Publish + UpdateItem per event)`);
  console.log(`  ratio:         ${(workerRate / ioRate).toFixed(2)}x of its I/O`);
  console.log(`  budget:        >= 300 events/s: ${workerRate >= 300 ? 'met' : 'NOT met'}`);
} finally {
  dynamo.destroy();
  sqs.destroy();
  sns.destroy();
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
