// One function instance in a process of its own, as Lambda runs each concurrent instance: the
// emulators answer from another process (bench/lib/stack-process.ts), the benchmark drives it over
// IPC. Roles:
// - http: the function's routes behind the local API Gateway stand-in, on a port of its own;
// - sqs: the local event source mapping, one batch at a time (one Lambda instance), into the
//   function's handler;
// - sqs-io: the same event source mapping, but each batch makes only the I/O the events worker
//   cannot avoid, with the SDK directly: the reference the worker is compared with.
// Started by bench/lib/processes.ts with the stack's environment; `--cpu-prof` in its execArgv
// writes a profile when it is told to exit.
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { compileRoute, startHttpApi } from '../../scripts/dev-stack/http-api';
import { invoke, loadHandler } from '../../scripts/dev-stack/lambda-runtime';
import { startSqsPoller, type SqsPoller } from '../../scripts/dev-stack/sqs-poller';
import { loadResources } from '../../scripts/lib/resources';
import { CoalescedGet } from '../../shared/src/dynamodb/coalesced-get';
import { CoalescedPut } from '../../shared/src/dynamodb/coalesced-put';
import { CoalescedPublish } from '../../shared/src/sns/coalesced-publish';
import { CLIENT_SETTINGS, withoutSdkLogging } from '../../services/stripe-service/src/adapters/aws/clients';
import type { FunctionRole, ToFunction, FromFunction } from './processes';

const role = JSON.parse(process.argv[2] ?? 'null') as FunctionRole | null;
if (!role || !process.send) throw new Error('usage: started by bench/lib/processes.ts over IPC, with a role');
const tell = (message: FromFunction) => process.send!(message);
const region = process.env.AWS_REGION!;
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

// Every HTTP request this process sends, by operation: DynamoDB and SQS name theirs in
// x-amz-target; SNS (the query protocol) names none, so its calls are counted together.
let calls: Record<string, number> = {};
subscribe('http.client.request.start', (message) => {
  const target = (message as { request: ClientRequest }).request.getHeader('x-amz-target');
  const operation = typeof target === 'string' ? (target.split('.').pop() ?? target) : 'SNS';
  calls[operation] = (calls[operation] ?? 0) + 1;
});

/** The events worker's own I/O per batch (records concurrently, as the worker handles them). */
function ioBatch(): (event: SQSEvent) => Promise<SQSBatchResponse> {
  // Configured as the function's clients are, so the reference is the same calls made the same way.
  const dynamo = new DynamoDBClient({ region, credentials, endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB, ...CLIENT_SETTINGS });
  const sns = new SNSClient({ region, credentials, endpoint: process.env.AWS_ENDPOINT_URL_SNS, ...CLIENT_SETTINGS });
  withoutSdkLogging(dynamo);
  withoutSdkLogging(sns);
  const reads = CoalescedGet.for(dynamo);
  const writes = CoalescedPut.for(dynamo);
  const publishes = CoalescedPublish.for(sns);
  const [webhookTable, paymentsTable, topicArn] = [process.env.WEBHOOK_IDEMPOTENCY_TABLE!, process.env.PAYMENTS_TABLE!, process.env.BILLING_EVENTS_TOPIC_ARN!];
  return async (event) => {
    await Promise.all(
      event.Records.map(async (record) => {
        const message = JSON.parse(record.body) as { eventId: string; payload: { data: { object: { metadata: { userId: string; paymentId: string } } } } };
        const { userId, paymentId } = message.payload.data.object.metadata;
        const eventKey = { eventId: { S: message.eventId } };
        // Made as the worker's adapters make them: a record's two reads together, and those of a
        // batch's records together; its publish and its mark coalesced with the others' of the same turn.
        const [, item] = await Promise.all([reads.get(webhookTable, eventKey), reads.get(paymentsTable, { userId: { S: userId }, paymentId: { S: paymentId } })]);
        await dynamo.send(
          new PutItemCommand({ TableName: paymentsTable, Item: { ...item!, version: { N: '2' } }, ConditionExpression: '#v = :v', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':v': { N: '1' } } }),
        );
        await publishes.publish(topicArn, { Message: record.body, MessageAttributes: { type: { DataType: 'String', StringValue: 'payment.successful' }, userId: { DataType: 'String', StringValue: userId } } });
        await writes.put(webhookTable, eventKey, { ...eventKey, status: { S: 'processed' } });
      }),
    );
    return { batchItemFailures: [] };
  };
}

async function main(role: FunctionRole): Promise<void> {
  if (role.kind === 'http') {
    const fn = loadResources().functions.find((f) => f.id === role.functionId)!;
    const handler = await loadHandler(fn);
    const api = await startHttpApi({
      routes: (fn.routes ?? []).map((routeKey) => compileRoute(routeKey, fn, handler)),
      host: '127.0.0.1',
      port: 0,
      region,
      onError: (error) => console.error(`${fn.id}: ${error instanceof Error ? error.message : String(error)}`),
    });
    process.on('message', (message: ToFunction) => {
      if (message.type === 'exit') void api.stop().then(() => process.exit(0));
    });
    tell({ type: 'ready', url: api.url });
    return;
  }

  let batch: (event: SQSEvent) => Promise<unknown>;
  if (role.kind === 'sqs') {
    const fn = loadResources().functions.find((f) => f.id === role.functionId)!;
    const handler = await loadHandler(fn);
    // The cold start (composition) outside the measurement.
    await invoke(fn, handler, { Records: [] }, region);
    batch = (event) => invoke(fn, handler, event, region);
  } else {
    batch = ioBatch();
  }
  const client = new SQSClient({ region, credentials, endpoint: process.env.AWS_ENDPOINT_URL_SQS });
  let poller: SqsPoller | undefined;
  process.on('message', (message: ToFunction) => {
    if (message.type === 'start' && !poller) {
      poller = startSqsPoller({
        client,
        queueUrl: message.queueUrl,
        queueArn: message.queueArn,
        region,
        batchSize: role.batchSize,
        invoke: async (event) => {
          const response = await batch(event);
          const failed = (response as SQSBatchResponse | undefined)?.batchItemFailures?.length ?? 0;
          tell({ type: 'progress', done: event.Records.length - failed, failed, calls });
          calls = {};
          return response;
        },
        onError: (error) => console.error(`poller: ${error instanceof Error ? error.message : String(error)}`),
      });
    } else if (message.type === 'pause') {
      const stopping = poller?.stop() ?? Promise.resolve();
      poller = undefined;
      void stopping.then(() => tell({ type: 'paused' }));
    } else if (message.type === 'exit') {
      void (poller?.stop() ?? Promise.resolve()).then(() => {
        client.destroy();
        process.exit(0);
      });
    }
  });
  tell({ type: 'ready' });
}

await main(role);
