import { BatchGetItemCommand, GetItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { hasKey, keyIdentity } from './item-key';

type Item = Record<string, AttributeValue>;

interface Pending {
  tableName: string;
  key: Item;
  resolve(item: Item | undefined): void;
  reject(error: unknown): void;
}

/** BatchGetItem's limit on keys per request. */
const MAX_KEYS = 100;

const readers = new WeakMap<DynamoDBClient, CoalescedGet>();

/**
 * Strongly consistent reads by key, where the reads that callers start in the same turn of the
 * event loop go out as one BatchGetItem instead of one GetItem each: a worker handles the records of
 * a batch concurrently and each starts with the same reads, so ten GetItem calls (ten signed HTTP
 * requests, most of a call's cost) become one. A read alone is still one GetItem. The answer per key
 * is what GetItem would have answered; a failed request fails every read it carried, as each one's
 * own GetItem would have failed.
 */
export class CoalescedGet {
  private pending: Pending[] = [];

  private constructor(private readonly client: DynamoDBClient) {}

  /** One reader per client, so reads of every adapter sharing the client meet in one request. */
  static for(client: DynamoDBClient): CoalescedGet {
    let reader = readers.get(client);
    if (!reader) {
      reader = new CoalescedGet(client);
      readers.set(client, reader);
    }
    return reader;
  }

  get(tableName: string, key: Item): Promise<Item | undefined> {
    return new Promise((resolve, reject) => {
      if (this.pending.length === 0) setImmediate(() => this.flush());
      this.pending.push({ tableName, key, resolve, reject });
    });
  }

  private flush(): void {
    const reads = this.pending;
    this.pending = [];
    if (reads.length === 1) {
      const [read] = reads as [Pending];
      this.client.send(new GetItemCommand({ TableName: read.tableName, Key: read.key, ConsistentRead: true })).then((result) => read.resolve(result.Item), read.reject);
      return;
    }
    for (let i = 0; i < reads.length; i += MAX_KEYS) void this.batch(reads.slice(i, i + MAX_KEYS));
  }

  /** One BatchGetItem for up to 100 reads (duplicates asked once), answered per read. */
  private async batch(reads: Pending[]): Promise<void> {
    const waiting = new Map<string, Pending[]>();
    const requests = new Map<string, { tableName: string; key: Item }>();
    for (const read of reads) {
      const id = keyIdentity(read.tableName, read.key);
      const same = waiting.get(id);
      if (same) same.push(read);
      else {
        waiting.set(id, [read]);
        requests.set(id, { tableName: read.tableName, key: read.key });
      }
    }
    const answer = (id: string, item: Item | undefined) => {
      for (const read of waiting.get(id) ?? []) read.resolve(item);
      waiting.delete(id);
    };
    try {
      const keys = [...requests.values()];
      const requestItems: Record<string, { Keys: Item[]; ConsistentRead: true }> = {};
      for (const { tableName, key } of keys) (requestItems[tableName] ??= { Keys: [], ConsistentRead: true }).Keys.push(key);
      const result = await this.client.send(new BatchGetItemCommand({ RequestItems: requestItems }));
      const found = new Map<string, Item>();
      for (const [tableName, items] of Object.entries(result.Responses ?? {})) {
        for (const item of items) {
          const request = keys.find((r) => r.tableName === tableName && hasKey(item, r.key));
          if (request) found.set(keyIdentity(tableName, request.key), item);
        }
      }
      const unprocessed = new Set<string>();
      for (const [tableName, { Keys = [] }] of Object.entries(result.UnprocessedKeys ?? {})) for (const key of Keys) unprocessed.add(keyIdentity(tableName, key));
      for (const { tableName, key } of keys) {
        const id = keyIdentity(tableName, key);
        if (!unprocessed.has(id)) answer(id, found.get(id));
      }
      // What DynamoDB left unprocessed (throttled) is read alone, with GetItem's own backoff and errors.
      await Promise.all(
        keys
          .filter(({ tableName, key }) => unprocessed.has(keyIdentity(tableName, key)))
          .map(async ({ tableName, key }) => {
            const id = keyIdentity(tableName, key);
            try {
              answer(id, (await this.client.send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item);
            } catch (error) {
              for (const read of waiting.get(id) ?? []) read.reject(error);
              waiting.delete(id);
            }
          }),
      );
    } catch (error) {
      for (const read of [...waiting.values()].flat()) read.reject(error);
    }
  }
}
