import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { startFauxqs } from 'fauxqs';
import { startSqsPoller, type SqsPoller, type SqsPollerOptions } from '../sqs-poller';

type Fauxqs = Awaited<ReturnType<typeof startFauxqs>>;
let fauxqs: Fauxqs;
let sqs: SQSClient;
let poller: SqsPoller | undefined;

beforeAll(async () => {
  fauxqs = await startFauxqs({ port: 0, logger: false });
  sqs = new SQSClient({ region: 'us-east-1', endpoint: fauxqs.address, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
});
afterEach(() => stopPolling());
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

/** Messages in a queue, visible or not, without receiving them (receiving would hide them). */
async function depth(url: string): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
}

/** Like waitFor, for a condition that needs a call to answer. */
async function waitForAsync(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function drain(url: string): Promise<string[]> {
  const result = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
  return (result.Messages ?? []).map((m) => m.Body ?? '');
}

/** What the event source reported through `onError` in the current test. */
let pollErrors: unknown[] = [];

/** Starts the event source on a queue of `queueWithDlq`. */
function pollWith(
  queue: { url: string; arn: string },
  invoke: SqsPollerOptions['invoke'],
  options: Partial<Pick<SqsPollerOptions, 'batchSize' | 'maximumBatchingWindowSeconds'>> = {},
): void {
  pollErrors = [];
  poller = startSqsPoller({
    client: sqs,
    queueUrl: queue.url,
    queueArn: queue.arn,
    region: 'us-east-1',
    batchSize: 10,
    onError: (error) => pollErrors.push(error),
    invoke,
    ...options,
  });
}

async function stopPolling(): Promise<void> {
  await poller?.stop();
  poller = undefined;
}

describe('the local SQS event source', () => {
  it('delivers Lambda-shaped records in batches and deletes what succeeded', async () => {
    const queue = await queueWithDlq('batches', 3);
    for (let i = 0; i < 5; i += 1) {
      await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: `m${i}`, MessageAttributes: { kind: { DataType: 'String', StringValue: 'test' } } }));
    }
    const events: SQSEvent[] = [];
    pollWith(queue, async (event) => {
      events.push(event);
    }, { batchSize: 2 });
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
    expect(pollErrors).toEqual([]);
    await stopPolling();
    expect(await drain(queue.url)).toEqual([]);
  });

  it('redelivers only the reported failures, then moves them to the DLQ after maxReceiveCount', async () => {
    const queue = await queueWithDlq('partial', 2);
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'good' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'bad' }));
    const received: string[] = [];
    pollWith(queue, async (event): Promise<SQSBatchResponse> => {
      received.push(...event.Records.map((r) => `${r.body}#${r.attributes.ApproximateReceiveCount}`));
      return { batchItemFailures: event.Records.filter((r) => r.body === 'bad').map((r) => ({ itemIdentifier: r.messageId })) };
    });
    await waitFor(() => received.includes('bad#2'));
    // Once past maxReceiveCount the next receive moves it to the DLQ instead of delivering it.
    await waitForAsync(async () => (await depth(queue.dlqUrl)) === 1);
    await stopPolling();
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
    let calls = 0;
    pollWith(queue, async (event) => {
      calls += 1;
      received.push(...event.Records.map((r) => `${r.body}#${r.attributes.ApproximateReceiveCount}`));
      if (calls === 1) throw new Error('worker crashed');
    }, { maximumBatchingWindowSeconds: 1 });
    await waitFor(() => received.length === 4);
    expect(received.sort()).toEqual(['a#1', 'a#2', 'b#1', 'b#2']);
    expect(pollErrors.map(String)).toEqual(['Error: worker crashed']);
  });

  it('treats a batch response naming an unknown message as a failure of the whole batch', async () => {
    const queue = await queueWithDlq('unknown-id', 5);
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'x' }));
    const received: string[] = [];
    pollWith(queue, async (event): Promise<SQSBatchResponse> => {
      received.push(...event.Records.map((r) => `${r.body}#${r.attributes.ApproximateReceiveCount}`));
      return received.length === 1 ? { batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] } : { batchItemFailures: [] };
    });
    await waitFor(() => received.length === 2);
    expect(received).toEqual(['x#1', 'x#2']);
  });

  it('gathers batches larger than one receive within the batching window', async () => {
    const queue = await queueWithDlq('large-batch', 3);
    for (let i = 0; i < 15; i += 1) await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: `m${i}` }));
    const sizes: number[] = [];
    pollWith(queue, async (event) => {
      sizes.push(event.Records.length);
    }, { batchSize: 15, maximumBatchingWindowSeconds: 1 });
    await waitFor(() => sizes.reduce((a, b) => a + b, 0) === 15);
    expect(sizes).toEqual([15]);
    expect(pollErrors).toEqual([]);
  });

  it('retries the whole batch when the function answers batchItemFailures that are not a list', async () => {
    const queue = await queueWithDlq('malformed-answer', 5);
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'y' }));
    const received: string[] = [];
    pollWith(queue, async (event) => {
      received.push(...event.Records.map((r) => `${r.body}#${r.attributes.ApproximateReceiveCount}`));
      return received.length === 1 ? { batchItemFailures: 'oops' } : undefined;
    });
    await waitFor(() => received.length === 2);
    expect(received).toEqual(['y#1', 'y#2']);
  });
});
