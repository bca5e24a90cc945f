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

/**
 * The message ids the function reported as failed, or 'all' when its answer cannot be read: like
 * Lambda, a malformed response fails the whole batch. No response, or one without
 * `batchItemFailures`, means every message succeeded.
 */
function failures(result: unknown, records: SQSRecord[]): Set<string> | 'all' {
  if (result === undefined || result === null || typeof result !== 'object' || !('batchItemFailures' in result)) return new Set();
  const reported = (result as SQSBatchResponse).batchItemFailures;
  if (!Array.isArray(reported)) return 'all';
  const ids = reported.map((f: unknown) => (f !== null && typeof f === 'object' ? (f as { itemIdentifier?: unknown }).itemIdentifier : undefined));
  // An identifier that is empty or names no record in the batch fails the whole batch, as in Lambda.
  if (ids.some((id) => typeof id !== 'string' || !records.some((r) => r.messageId === id))) return 'all';
  return new Set(ids as string[]);
}

export function startSqsPoller(options: SqsPollerOptions): SqsPoller {
  const abort = new AbortController();
  const batchSize = Math.max(1, options.batchSize);

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
    // SQS hands out at most 10 messages per receive; larger batches are gathered over several.
    const messages = await receive(Math.min(10, batchSize), 1);
    if (messages.length === 0) return;
    const windowEnds = Date.now() + (options.maximumBatchingWindowSeconds ?? 0) * 1000;
    while (messages.length < batchSize && !abort.signal.aborted) {
      const more = await receive(Math.min(10, batchSize - messages.length), 0);
      messages.push(...more);
      if (more.length === 0) {
        if (Date.now() >= windowEnds) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const records = messages.map((m) => toRecord(m, options.queueArn, options.region));
    let failed: Set<string> | 'all';
    try {
      failed = failures(await options.invoke({ Records: records }), records);
    } catch (error) {
      options.onError(error);
      return;
    }
    if (failed === 'all') {
      options.onError(new Error('the function reported batch item failures that name no message of the batch; the whole batch is retried'));
      return;
    }
    const done = records.filter((r) => !(failed as Set<string>).has(r.messageId));
    for (let i = 0; i < done.length; i += 10) {
      const chunk = done.slice(i, i + 10);
      const result = await options.client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: options.queueUrl,
          Entries: chunk.map((r, j) => ({ Id: String(j), ReceiptHandle: r.receiptHandle })),
        }),
      );
      for (const failure of result.Failed ?? []) options.onError(new Error(`could not delete a processed message: ${failure.Code ?? ''} ${failure.Message ?? ''}`));
    }
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
