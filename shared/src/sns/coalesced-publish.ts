import { PublishBatchCommand, PublishCommand, type MessageAttributeValue, type PublishBatchRequestEntry, type SNSClient } from '@aws-sdk/client-sns';

/** One message for a topic, as Publish takes it. */
export interface SnsMessage {
  Message: string;
  MessageAttributes?: Record<string, MessageAttributeValue>;
}

interface Pending {
  topicArn: string;
  message: SnsMessage;
  resolve(messageId: string | undefined): void;
  reject(error: unknown): void;
}

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

const publishers = new WeakMap<SNSClient, CoalescedPublish>();

/**
 * Publishes where the messages that callers start in the same turn of the event loop go out as one
 * PublishBatch per topic instead of one Publish each: a worker handles the records of a batch
 * concurrently and each publishes, so up to ten signed requests become one. A message alone is
 * still one Publish, with its own errors. Each caller is answered by its own entry: a refused entry
 * fails only its caller, a failed request every caller it carried.
 */
export class CoalescedPublish {
  private pending: Pending[] = [];

  private constructor(private readonly client: SNSClient) {}

  /** One publisher per client, so every adapter sharing the client meets in one request. */
  static for(client: SNSClient): CoalescedPublish {
    let publisher = publishers.get(client);
    if (!publisher) {
      publisher = new CoalescedPublish(client);
      publishers.set(client, publisher);
    }
    return publisher;
  }

  /** Resolves with SNS's message id once the topic has the message. */
  publish(topicArn: string, message: SnsMessage): Promise<string | undefined> {
    return new Promise((resolve, reject) => {
      if (this.pending.length === 0) setImmediate(() => this.flush());
      this.pending.push({ topicArn, message, resolve, reject });
    });
  }

  private flush(): void {
    const all = this.pending;
    this.pending = [];
    const byTopic = new Map<string, Pending[]>();
    for (const one of all) {
      const same = byTopic.get(one.topicArn);
      if (same) same.push(one);
      else byTopic.set(one.topicArn, [one]);
    }
    for (const group of byTopic.values()) for (const chunk of chunks(group)) void this.send(chunk);
  }

  private async send(chunk: Pending[]): Promise<void> {
    const [first] = chunk;
    if (!first) return;
    if (chunk.length === 1) {
      this.client.send(new PublishCommand({ TopicArn: first.topicArn, ...first.message })).then((result) => first.resolve(result.MessageId), first.reject);
      return;
    }
    // Ids need only be unique within the request; the same message twice is two entries.
    const entries: PublishBatchRequestEntry[] = chunk.map((one, i) => ({ Id: String(i), ...one.message }));
    const waiting = new Map(chunk.map((one, i) => [String(i), one]));
    const answer = (id: string | undefined, settle: (one: Pending) => void) => {
      const one = id === undefined ? undefined : waiting.get(id);
      if (!one || id === undefined) return;
      waiting.delete(id);
      settle(one);
    };
    try {
      const result = await this.client.send(new PublishBatchCommand({ TopicArn: first.topicArn, PublishBatchRequestEntries: entries }));
      for (const { Id, MessageId } of result.Successful ?? []) answer(Id, (one) => one.resolve(MessageId));
      for (const { Id, Code = 'Unknown', Message = '', SenderFault = false } of result.Failed ?? []) {
        answer(Id, (one) => one.reject(new PublishBatchEntryError(Code, `SNS refused the message: ${Code}: ${Message}`, SenderFault)));
      }
      // An entry SNS answered neither way is not known to be published: its caller retries it.
      for (const one of waiting.values()) one.reject(new PublishBatchEntryError('NoAnswer', 'SNS answered nothing for the message', false));
    } catch (error) {
      for (const one of waiting.values()) one.reject(error);
    }
  }
}

/** Requests within PublishBatch's limits, in the callers' order; a message too big to share one goes alone. */
function chunks(group: Pending[]): Pending[][] {
  const out: Pending[][] = [];
  let current: Pending[] = [];
  let bytes = 0;
  for (const one of group) {
    const size = sizeOf(one.message);
    if (current.length > 0 && (current.length === MAX_ENTRIES || bytes + size > MAX_BATCH_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(one);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
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
