// Lambda's SQS event source mapping, locally: receive up to `batchSize` messages, invoke the worker
// once per batch, delete what succeeded. A thrown error leaves the whole batch to reappear after the
// visibility timeout; `batchItemFailures` leaves only those; the queue's redrive policy moves a
// message to its DLQ once it has been received maxReceiveCount times. Same semantics as AWS.
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

export interface SqsPollerOptions {
  client: SQSClient;
  queueUrl: string;
  queueArn: string;
  region: string;
  batchSize: number;
  /** Seconds to keep gathering a batch before invoking (Lambda's MaximumBatchingWindowInSeconds). */
  maximumBatchingWindowSeconds?: number;
  invoke(event: SQSEvent): Promise<unknown>;
  onError(error: unknown): void;
}

export interface SqsPoller {
  stop(): Promise<void>;
}

export function toRecord(message: Message, queueArn: string, region: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? '000000000000',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      ...(attributes.MessageGroupId ? { MessageGroupId: attributes.MessageGroupId } : {}),
      ...(attributes.MessageDeduplicationId ? { MessageDeduplicationId: attributes.MessageDeduplicationId } : {}),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
        name,
        {
          dataType: value.DataType ?? 'String',
          ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
          ...(value.BinaryValue !== undefined ? { binaryValue: Buffer.from(value.BinaryValue).toString('base64') } : {}),
          stringListValues: [],
          binaryListValues: [],
        },
      ]),
    ),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

function isBatchResponse(value: unknown): value is SQSBatchResponse {
  return value !== null && typeof value === 'object' && Array.isArray((value as SQSBatchResponse).batchItemFailures);
}

export function startSqsPoller(options: SqsPollerOptions): SqsPoller {
  const abort = new AbortController();
  const batchSize = Math.min(10, Math.max(1, options.batchSize));

  async function receive(max: number, waitSeconds: number): Promise<Message[]> {
    const result = await options.client.send(
      new ReceiveMessageCommand({
        QueueUrl: options.queueUrl,
        MaxNumberOfMessages: max,
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: abort.signal },
    );
    return result.Messages ?? [];
  }

  async function pollOnce(): Promise<void> {
    const messages = await receive(batchSize, 1);
    if (messages.length === 0) return;
    const windowEnds = Date.now() + (options.maximumBatchingWindowSeconds ?? 0) * 1000;
    while (messages.length < batchSize && Date.now() < windowEnds && !abort.signal.aborted) {
      const more = await receive(batchSize - messages.length, 0);
      if (more.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
      messages.push(...more);
    }
    const records = messages.map((m) => toRecord(m, options.queueArn, options.region));
    let failed: Set<string>;
    try {
      const result = await options.invoke({ Records: records });
      failed = new Set(isBatchResponse(result) ? result.batchItemFailures.map((f) => f.itemIdentifier) : []);
      // An identifier that names no record in the batch makes Lambda treat the whole batch as failed.
      if ([...failed].some((id) => !records.some((r) => r.messageId === id))) failed = new Set(records.map((r) => r.messageId));
    } catch (error) {
      options.onError(error);
      return;
    }
    const done = records.filter((r) => !failed.has(r.messageId));
    if (done.length === 0) return;
    await options.client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: options.queueUrl,
        Entries: done.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
      }),
    );
  }

  const loop = (async () => {
    while (!abort.signal.aborted) {
      try {
        await pollOnce();
      } catch (error) {
        if (abort.signal.aborted) break;
        options.onError(error);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  })();

  return {
    async stop() {
      abort.abort();
      await loop;
    },
  };
}
