import { BatchWriteItemCommand, PutItemCommand, type AttributeValue, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { hasKey, keyIdentity } from './item-key';

type Item = Record<string, AttributeValue>;

interface Pending {
  tableName: string;
  key: Item;
  item: Item;
  resolve(): void;
  reject(error: unknown): void;
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

const writers = new WeakMap<DynamoDBClient, CoalescedPut>();

/**
 * Unconditional puts where the puts that callers start in the same turn of the event loop go out as
 * one BatchWriteItem instead of one PutItem each (a worker marks the records of a batch done at
 * about the same moment). A put alone is still one PutItem. What DynamoDB leaves unprocessed is sent
 * again with backoff; a put still unprocessed, or in a request that failed, fails its own caller
 * only as far as it can tell: a failed request fails every put it carried. Two puts of one key in a
 * turn are one write of the later item (a request may not name a key twice), both callers answered.
 */
export class CoalescedPut {
  private pending: Pending[] = [];

  private constructor(
    private readonly client: DynamoDBClient,
    private readonly options: CoalescedPutOptions,
  ) {}

  /** One writer per client, so puts of every adapter sharing the client meet in one request. */
  static for(client: DynamoDBClient, options: CoalescedPutOptions = DEFAULTS): CoalescedPut {
    let writer = writers.get(client);
    if (!writer) {
      writer = new CoalescedPut(client, options);
      writers.set(client, writer);
    }
    return writer;
  }

  /** `key`: the item's key attributes, by which puts of one item are told apart. */
  put(tableName: string, key: Item, item: Item): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.pending.length === 0) setImmediate(() => this.flush());
      this.pending.push({ tableName, key, item, resolve, reject });
    });
  }

  private flush(): void {
    const puts = this.pending;
    this.pending = [];
    if (puts.length === 1) {
      const [put] = puts as [Pending];
      this.client.send(new PutItemCommand({ TableName: put.tableName, Item: put.item })).then(() => put.resolve(), put.reject);
      return;
    }
    // The later put of a key wins, as it would have as the later PutItem.
    const byKey = new Map<string, Pending[]>();
    for (const put of puts) {
      const id = keyIdentity(put.tableName, put.key);
      const same = byKey.get(id);
      if (same) same.push(put);
      else byKey.set(id, [put]);
    }
    const writes = [...byKey.entries()].flatMap(([id, callers]) => {
      const latest = callers.at(-1);
      return latest ? [{ id, latest, callers }] : [];
    });
    for (let i = 0; i < writes.length; i += MAX_ITEMS) void this.batch(writes.slice(i, i + MAX_ITEMS));
  }

  private async batch(writes: { id: string; latest: Pending; callers: Pending[] }[]): Promise<void> {
    let left = new Map(writes.map((write) => [write.id, write]));
    try {
      for (let attempt = 0; left.size > 0; attempt += 1) {
        if (attempt > this.options.retries) {
          for (const write of left.values()) for (const caller of write.callers) caller.reject(new UnprocessedPutError(write.latest.tableName));
          return;
        }
        if (attempt > 0) await delay(Math.random() * this.options.baseDelayMs * 2 ** (attempt - 1));
        const requestItems: Record<string, WriteRequest[]> = {};
        for (const { latest } of left.values()) (requestItems[latest.tableName] ??= []).push({ PutRequest: { Item: latest.item } });
        const result = await this.client.send(new BatchWriteItemCommand({ RequestItems: requestItems }));
        const unprocessed = new Set<string>();
        for (const [tableName, requests] of Object.entries(result.UnprocessedItems ?? {})) {
          for (const request of requests) {
            const item = request.PutRequest?.Item;
            const write = item && [...left.values()].find((w) => w.latest.tableName === tableName && hasKey(item, w.latest.key));
            if (write) unprocessed.add(write.id);
          }
        }
        const next = new Map<string, (typeof writes)[number]>();
        for (const [id, write] of left) {
          if (unprocessed.has(id)) next.set(id, write);
          else for (const caller of write.callers) caller.resolve();
        }
        left = next;
      }
    } catch (error) {
      for (const write of left.values()) for (const caller of write.callers) caller.reject(error);
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
