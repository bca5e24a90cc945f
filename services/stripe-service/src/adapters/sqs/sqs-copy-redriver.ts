import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type Message,
  type MessageAttributeValue,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { chunkWithin } from '@shared/batching/turn-batcher';
import type { DeadLetterRedriver, RedriveOutcome, RedrivePair, RedriveProgress } from '../../application/ports/dead-letter-redriver';

export interface CopyRedriverOptions {
  /**
   * How long a received dead letter stays hidden while it is copied. A message whose send failed
   * is not deleted: it reappears in the dead-letter queue after this long, not within this run.
   */
  visibilityTimeoutSeconds?: number;
  /** Long polling: an empty answer then means the queue is empty, not that one SQS host had none. */
  waitTimeSeconds?: number;
}

/**
 * Receive → send → delete, one batch of ten at a time, for endpoints without move tasks (the
 * local stack's fauxqs, moto). Body and message attributes travel unchanged; a dead letter is
 * deleted only once SQS has accepted its copy, so a crash leaves a duplicate, never a loss.
 */
export class SqsCopyRedriver implements DeadLetterRedriver {
  readonly method = 'receive_send_delete' as const;
  readonly canLimit = true;
  private readonly visibilityTimeoutSeconds: number;
  private readonly waitTimeSeconds: number;

  constructor(
    private readonly client: SQSClient,
    options: CopyRedriverOptions = {},
  ) {
    this.visibilityTimeoutSeconds = options.visibilityTimeoutSeconds ?? 120;
    this.waitTimeSeconds = options.waitTimeSeconds ?? 1;
  }

  async supported(): Promise<boolean> {
    return true;
  }

  async redrive(pair: RedrivePair, options: { maxMessages?: number; onProgress?: (progress: RedriveProgress) => void } = {}): Promise<RedriveOutcome> {
    const progress: RedriveProgress = { moved: 0, failed: 0 };
    const limit = options.maxMessages ?? Number.POSITIVE_INFINITY;
    const fifo = pair.source.url.endsWith('.fifo');
    // Each message is received once per run: one that failed to send stays hidden until the run is over.
    while (progress.moved + progress.failed < limit) {
      const received = await this.client.send(
        new ReceiveMessageCommand({
          QueueUrl: pair.deadLetter.url,
          MaxNumberOfMessages: Math.min(10, limit - progress.moved - progress.failed),
          WaitTimeSeconds: this.waitTimeSeconds,
          VisibilityTimeout: this.visibilityTimeoutSeconds,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['MessageGroupId'],
        }),
      );
      const messages = received.Messages ?? [];
      if (messages.length === 0) break;
      const entries = messages.map((message, i) => toEntry(message, String(i), fifo));
      const sentIds = new Set<string>();
      for (const batch of chunkWithin(entries, { maxBytes: MAX_BATCH_BYTES, bytesOf: entryBytes })) {
        const sent = await this.client.send(new SendMessageBatchCommand({ QueueUrl: pair.source.url, Entries: batch }));
        for (const s of sent.Successful ?? []) if (s.Id) sentIds.add(s.Id);
      }
      const toDelete = messages.flatMap((message, i) => (sentIds.has(String(i)) && message.ReceiptHandle ? [{ Id: String(i), ReceiptHandle: message.ReceiptHandle }] : []));
      if (toDelete.length > 0) {
        // A failed delete leaves the message in both queues: a duplicate the consumer's dedupe absorbs.
        await this.client.send(new DeleteMessageBatchCommand({ QueueUrl: pair.deadLetter.url, Entries: toDelete }));
      }
      progress.moved += sentIds.size;
      progress.failed += messages.length - sentIds.size;
      options.onProgress?.({ ...progress });
    }
    return { method: this.method, ...progress, status: progress.failed > 0 ? 'failed' : 'completed', ...(progress.failed > 0 ? { failureReason: `${progress.failed} message(s) could not be sent back and stay in the dead-letter queue` } : {}) };
  }
}

/** SQS's limit on a whole batch request, which ten large events can pass although each fits alone. */
const MAX_BATCH_BYTES = 256 * 1024;

function entryBytes(entry: SendMessageBatchRequestEntry): number {
  let bytes = Buffer.byteLength(entry.MessageBody ?? '');
  for (const [name, value] of Object.entries(entry.MessageAttributes ?? {})) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? '') + Buffer.byteLength(value.StringValue ?? '') + (value.BinaryValue?.byteLength ?? 0);
  }
  return bytes;
}

function toEntry(message: Message, id: string, fifo: boolean): SendMessageBatchRequestEntry {
  const attributes = message.MessageAttributes ? cleanAttributes(message.MessageAttributes) : undefined;
  return {
    Id: id,
    MessageBody: message.Body ?? '',
    ...(attributes && Object.keys(attributes).length > 0 ? { MessageAttributes: attributes } : {}),
    ...(fifo
      ? {
          MessageGroupId: message.Attributes?.MessageGroupId ?? 'redrive',
          // Not the original id: the source queue saw it when the message first came, and within
          // its five-minute window would drop the copy while we delete the dead letter. One id per
          // dead letter still absorbs a repeated send of this copy (a retry after a crash).
          MessageDeduplicationId: `redrive-${message.MessageId ?? id}`,
        }
      : {}),
  };
}

/** What ReceiveMessage returns carries empty list fields SendMessage refuses. */
function cleanAttributes(attributes: Record<string, MessageAttributeValue>): Record<string, MessageAttributeValue> {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      {
        DataType: value.DataType,
        ...(value.StringValue !== undefined ? { StringValue: value.StringValue } : {}),
        ...(value.BinaryValue !== undefined ? { BinaryValue: value.BinaryValue } : {}),
      },
    ]),
  );
}
