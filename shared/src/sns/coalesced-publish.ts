import { PublishBatchCommand, PublishCommand, type MessageAttributeValue, type PublishBatchRequestEntry, type SNSClient } from '@aws-sdk/client-sns';
import { onePer, TurnBatcher, type Waiter } from '../batching/turn-batcher';

/** One message for a topic, as Publish takes it. */
export interface SnsMessage {
  Message: string;
  MessageAttributes?: Record<string, MessageAttributeValue>;
}

interface Publish {
  topicArn: string;
  message: SnsMessage;
}

type Pending = Waiter<Publish, string | undefined>;

/** PublishBatch's limits: entries per request, and bytes of every message and its attributes together. */
const MAX_ENTRIES = 10;
const MAX_BATCH_BYTES = 256 * 1024;

/** SNS refused one entry of a PublishBatch (its `Failed` list); the other entries of the request stand. */
export class PublishBatchEntryError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly senderFault: boolean,
  ) {
    super(message);
    this.name = 'PublishBatchEntryError';
  }
}

/**
 * Publishes where the messages that callers start in the same turn of the event loop go out as one
 * PublishBatch per topic instead of one Publish each: a worker handles the records of a batch
 * concurrently and each publishes, so up to ten signed requests become one. A message alone is
 * still one Publish, with its own errors. Each caller is answered by its own entry: a refused entry
 * fails only its caller, a failed request every caller it carried.
 */
export class CoalescedPublish {
  /** One publisher per client, so every adapter sharing the client meets in one request. */
  static readonly for = onePer((client: SNSClient) => new CoalescedPublish(client));

  private readonly batcher = new TurnBatcher<Publish, string | undefined>({
    maxEntries: MAX_ENTRIES,
    maxBytes: MAX_BATCH_BYTES,
    bytesOf: (one) => sizeOf(one.message),
    groupOf: (one) => one.topicArn,
    sendBatch: (chunk) => this.send(chunk),
  });

  private constructor(private readonly client: SNSClient) {}

  /** Resolves with SNS's message id once the topic has the message. */
  publish(topicArn: string, message: SnsMessage): Promise<string | undefined> {
    return this.batcher.add({ topicArn, message });
  }

  /** A message too big to share a request, or alone on its topic in the turn, goes as Publish. */
  private async send(chunk: Pending[]): Promise<void> {
    const [first] = chunk;
    if (!first) return;
    const { topicArn } = first.entry;
    if (chunk.length === 1) {
      first.resolve((await this.client.send(new PublishCommand({ TopicArn: topicArn, ...first.entry.message }))).MessageId);
      return;
    }
    // Ids need only be unique within the request; the same message twice is two entries.
    const entries: PublishBatchRequestEntry[] = chunk.map((one, i) => ({ Id: String(i), ...one.entry.message }));
    const waiting = new Map(chunk.map((one, i) => [String(i), one]));
    const answer = (id: string | undefined, settle: (one: Pending) => void) => {
      const one = id === undefined ? undefined : waiting.get(id);
      if (!one || id === undefined) return;
      waiting.delete(id);
      settle(one);
    };
    const result = await this.client.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: entries }));
    for (const { Id, MessageId } of result.Successful ?? []) answer(Id, (one) => one.resolve(MessageId));
    for (const { Id, Code = 'Unknown', Message = '', SenderFault = false } of result.Failed ?? []) {
      answer(Id, (one) => one.reject(new PublishBatchEntryError(Code, `SNS refused the message: ${Code}: ${Message}`, SenderFault)));
    }
    // An entry SNS answered neither way is not known to be published: its caller retries it.
    for (const one of waiting.values()) one.reject(new PublishBatchEntryError('NoAnswer', 'SNS answered nothing for the message', false));
  }
}

/** What SNS counts of a message against the size limit: the body and each attribute's name, type and value. */
function sizeOf(message: SnsMessage): number {
  let bytes = Buffer.byteLength(message.Message, 'utf8');
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    bytes += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(value.DataType ?? '', 'utf8');
    if (value.StringValue !== undefined) bytes += Buffer.byteLength(value.StringValue, 'utf8');
    if (value.BinaryValue !== undefined) bytes += value.BinaryValue.byteLength;
  }
  return bytes;
}
