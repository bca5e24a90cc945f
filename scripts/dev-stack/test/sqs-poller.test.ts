import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { startFauxqs } from 'fauxqs';
import { startSqsPoller, type SqsPoller } from '../sqs-poller';

type Fauxqs = Awaited<ReturnType<typeof startFauxqs>>;
let fauxqs: Fauxqs;
let sqs: SQSClient;
let poller: SqsPoller | undefined;

beforeAll(async () => {
  fauxqs = await startFauxqs({ port: 0, logger: false });
  sqs = new SQSClient({ region: 'us-east-1', endpoint: fauxqs.address, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
});
afterEach(async () => {
  await poller?.stop();
  poller = undefined;
});
afterAll(async () => {
  sqs.destroy();
  await fauxqs.stop();
});

async function queueWithDlq(name: string, maxReceiveCount: number) {
  const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }))).QueueUrl!;
  const arnOf = async (url: string) => (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const dlqArn = await arnOf(dlqUrl);
  const url = (
    await sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: { VisibilityTimeout: '1', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }) },
      }),
    )
  ).QueueUrl!;
  return { url, arn: await arnOf(url), dlqUrl };
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function drain(url: string): Promise<string[]> {
  const result = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
  return (result.Messages ?? []).map((m) => m.Body ?? '');
}

describe('the local SQS event source', () => {
  it('delivers Lambda-shaped records in batches and deletes what succeeded', async () => {
    const queue = await queueWithDlq('batches', 3);
    for (let i = 0; i < 5; i += 1) {
      await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: `m${i}`, MessageAttributes: { kind: { DataType: 'String', StringValue: 'test' } } }));
    }
    const events: SQSEvent[] = [];
    poller = startSqsPoller({
      client: sqs,
      queueUrl: queue.url,
      queueArn: queue.arn,
      region: 'us-east-1',
      batchSize: 2,
      invoke: async (event) => {
        events.push(event);
      },
      onError: (error) => {
        throw error;
      },
    });
    await waitFor(() => events.flatMap((e) => e.Records).length === 5);
    expect(Math.max(...events.map((e) => e.Records.length))).toBeLessThanOrEqual(2);
    const record = events[0]!.Records[0]!;
    expect(record).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: queue.arn,
      awsRegion: 'us-east-1',
      attributes: { ApproximateReceiveCount: '1' },
      messageAttributes: { kind: { dataType: 'String', stringValue: 'test' } },
    });
    expect(record.receiptHandle).not.toBe('');
    await poller.stop();
    poller = undefined;
    expect(await drain(queue.url)).toEqual([]);
  });

  it('redelivers only the reported failures, then moves them to the DLQ after maxReceiveCount', async () => {
    const queue = await queueWithDlq('partial', 2);
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'good' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'bad' }));
    const received: string[] = [];
    poller = startSqsPoller({
      client: sqs,
      queueUrl: queue.url,
      queueArn: queue.arn,
      region: 'us-east-1',
      batchSize: 10,
      invoke: async (event): Promise<SQSBatchResponse> => {
        received.push(...event.Records.map((r) => `${r.body}#${r.attributes.ApproximateReceiveCount}`));
        return { batchItemFailures: event.Records.filter((r) => r.body === 'bad').map((r) => ({ itemIdentifier: r.messageId })) };
      },
      onError: () => undefined,
    });
    await waitFor(() => received.includes('bad#2'));
    // Once past maxReceiveCount the next receive moves it to the DLQ instead of delivering it.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await poller.stop();
    poller = undefined;
    expect(received.filter((r) => r.startsWith('good'))).toEqual(['good#1']);
    expect(received.filter((r) => r.startsWith('bad'))).toEqual(['bad#1', 'bad#2']);
    expect(await drain(queue.dlqUrl)).toEqual(['bad']);
    expect(await drain(queue.url)).toEqual([]);
  });

  it('leaves the whole batch for redelivery when the function throws', async () => {
    const queue = await queueWithDlq('throws', 5);
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'a' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'b' }));
    const received: string[] = [];
    const errors: unknown[] = [];
    let calls = 0;
    poller = startSqsPoller({
      client: sqs,
      queueUrl: queue.url,
      queueArn: queue.arn,
      region: 'us-east-1',
      batchSize: 10,
      maximumBatchingWindowSeconds: 1,
      invoke: async (event) => {
        calls += 1;
        received.push(...event.Records.map((r) => `${r.body}#${r.attributes.ApproximateReceiveCount}`));
        if (calls === 1) throw new Error('worker crashed');
      },
      onError: (error) => errors.push(error),
    });
    await waitFor(() => received.length === 4);
    expect(received.sort()).toEqual(['a#1', 'a#2', 'b#1', 'b#2']);
    expect(errors).toHaveLength(1);
  });

  it('treats a batch response naming an unknown message as a failure of the whole batch', async () => {
    const queue = await queueWithDlq('unknown-id', 5);
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'x' }));
    const received: string[] = [];
    poller = startSqsPoller({
      client: sqs,
      queueUrl: queue.url,
      queueArn: queue.arn,
      region: 'us-east-1',
      batchSize: 10,
      invoke: async (event): Promise<SQSBatchResponse> => {
        received.push(...event.Records.map((r) => `${r.body}#${r.attributes.ApproximateReceiveCount}`));
        return received.length === 1 ? { batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] } : { batchItemFailures: [] };
      },
      onError: () => undefined,
    });
    await waitFor(() => received.length === 2);
    expect(received).toEqual(['x#1', 'x#2']);
  });

  it('gathers batches larger than one receive within the batching window', async () => {
    const queue = await queueWithDlq('large-batch', 3);
    for (let i = 0; i < 15; i += 1) await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: `m${i}` }));
    const sizes: number[] = [];
    poller = startSqsPoller({
      client: sqs,
      queueUrl: queue.url,
      queueArn: queue.arn,
      region: 'us-east-1',
      batchSize: 15,
      maximumBatchingWindowSeconds: 1,
      invoke: async (event) => {
        sizes.push(event.Records.length);
      },
      onError: (error) => {
        throw error;
      },
    });
    await waitFor(() => sizes.reduce((a, b) => a + b, 0) === 15);
    expect(sizes).toEqual([15]);
  });

  it('retries the whole batch when the function answers batchItemFailures that are not a list', async () => {
    const queue = await queueWithDlq('malformed-answer', 5);
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'y' }));
    const received: string[] = [];
    poller = startSqsPoller({
      client: sqs,
      queueUrl: queue.url,
      queueArn: queue.arn,
      region: 'us-east-1',
      batchSize: 10,
      invoke: async (event) => {
        received.push(...event.Records.map((r) => `${r.body}#${r.attributes.ApproximateReceiveCount}`));
        return received.length === 1 ? { batchItemFailures: 'oops' } : undefined;
      },
      onError: () => undefined,
    });
    await waitFor(() => received.length === 2);
    expect(received).toEqual(['y#1', 'y#2']);
  });
});
