import { BatchWriteItemCommand, PutItemCommand, type AttributeValue, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { onePer, TurnBatcher, type Waiter } from '../batching/turn-batcher';
import { hasKey, keyIdentity } from './item-key';

type Item = Record<string, AttributeValue>;

interface Put {
  tableName: string;
  key: Item;
  item: Item;
}

/** BatchWriteItem's limit on requests per call. */
const MAX_ITEMS = 25;

export interface CoalescedPutOptions {
  /** Calls for what DynamoDB left unprocessed after the first, each after a backoff. */
  retries: number;
  /** The first backoff; each next one doubles, with full jitter. */
  baseDelayMs: number;
}

/**
 * Eight retries from 25 ms: at most about 6 s of backoff in all, well inside a worker's 30 s, and
 * enough for on-demand tables to absorb a burst. A put still unprocessed then fails its caller alone.
 */
const DEFAULTS: CoalescedPutOptions = { retries: 8, baseDelayMs: 25 };

/** DynamoDB left the put unprocessed (throttled) through every retry: not written. */
export class UnprocessedPutError extends Error {
  constructor(tableName: string) {
    super(`DynamoDB left a put to ${tableName} unprocessed through every retry`);
    this.name = 'UnprocessedPutError';
  }
}

/**
 * Unconditional puts where the puts that callers start in the same turn of the event loop go out as
 * one BatchWriteItem instead of one PutItem each (a worker marks the records of a batch done at
 * about the same moment). A put alone is still one PutItem. What DynamoDB leaves unprocessed is sent
 * again with backoff; a put still unprocessed, or in a request that failed, fails its own caller
 * only as far as it can tell: a failed request fails every put it carried. Two puts of one key in a
 * turn are one write of the later item (a request may not name a key twice), both callers answered.
 */
export class CoalescedPut {
  /** One writer per client, so puts of every adapter sharing the client meet in one request. */
  static readonly for = onePer((client: DynamoDBClient, options: CoalescedPutOptions = DEFAULTS) => new CoalescedPut(client, options));

  private readonly batcher = new TurnBatcher<Put, void>({
    maxEntries: MAX_ITEMS,
    // A request may not name a key twice; the later put of a key wins, as it would have as the later PutItem.
    keyOf: (put) => keyIdentity(put.tableName, put.key),
    sendAlone: async (put) => {
      await this.client.send(new PutItemCommand({ TableName: put.tableName, Item: put.item }));
    },
    sendBatch: (writes) => this.batch(writes),
  });

  private constructor(
    private readonly client: DynamoDBClient,
    private readonly options: CoalescedPutOptions,
  ) {}

  /** `key`: the item's key attributes, by which puts of one item are told apart. */
  put(tableName: string, key: Item, item: Item): Promise<void> {
    return this.batcher.add({ tableName, key, item });
  }

  /** One BatchWriteItem for up to 25 puts of distinct keys, then again for what DynamoDB left unprocessed. */
  private async batch(writes: Waiter<Put, void>[]): Promise<void> {
    let left = writes;
    for (let attempt = 0; left.length > 0; attempt += 1) {
      if (attempt > this.options.retries) {
        for (const write of left) write.reject(new UnprocessedPutError(write.entry.tableName));
        return;
      }
      if (attempt > 0) await delay(Math.random() * this.options.baseDelayMs * 2 ** (attempt - 1));
      const requestItems: Record<string, WriteRequest[]> = {};
      for (const { entry } of left) (requestItems[entry.tableName] ??= []).push({ PutRequest: { Item: entry.item } });
      const result = await this.client.send(new BatchWriteItemCommand({ RequestItems: requestItems }));
      const unprocessed = new Set<Waiter<Put, void>>();
      for (const [tableName, requests] of Object.entries(result.UnprocessedItems ?? {})) {
        for (const request of requests) {
          const item = request.PutRequest?.Item;
          const write = item && left.find(({ entry }) => entry.tableName === tableName && hasKey(item, entry.key));
          if (write) unprocessed.add(write);
        }
      }
      for (const write of left) if (!unprocessed.has(write)) write.resolve();
      left = left.filter((write) => unprocessed.has(write));
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
