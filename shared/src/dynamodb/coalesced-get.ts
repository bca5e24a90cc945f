import { BatchGetItemCommand, GetItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { onePer, TurnBatcher, type Waiter } from '../batching/turn-batcher';
import { hasKey, keyIdentity } from './item-key';

type Item = Record<string, AttributeValue>;

interface Read {
  tableName: string;
  key: Item;
}

/** BatchGetItem's limit on keys per request. */
const MAX_KEYS = 100;

/**
 * Strongly consistent reads by key, where the reads that callers start in the same turn of the
 * event loop go out as one BatchGetItem instead of one GetItem each: a worker handles the records of
 * a batch concurrently and each starts with the same reads, so ten GetItem calls (ten signed HTTP
 * requests, most of a call's cost) become one. A read alone is still one GetItem. The answer per key
 * is what GetItem would have answered; a failed request fails every read it carried, as each one's
 * own GetItem would have failed.
 */
export class CoalescedGet {
  /** One reader per client, so reads of every adapter sharing the client meet in one request. */
  static readonly for = onePer((client: DynamoDBClient) => new CoalescedGet(client));

  private readonly batcher = new TurnBatcher<Read, Item | undefined>({
    maxEntries: MAX_KEYS,
    sendAlone: (read) => this.getItem(read),
    sendBatch: (reads) => this.batch(reads),
  });

  private constructor(private readonly client: DynamoDBClient) {}

  get(tableName: string, key: Item): Promise<Item | undefined> {
    return this.batcher.add({ tableName, key });
  }

  private async getItem({ tableName, key }: Read): Promise<Item | undefined> {
    return (await this.client.send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
  }

  /** One BatchGetItem for up to 100 reads (duplicates asked once), answered per read. */
  private async batch(reads: Waiter<Read, Item | undefined>[]): Promise<void> {
    const waiting = new Map<string, Waiter<Read, Item | undefined>[]>();
    const requests = new Map<string, Read>();
    for (const read of reads) {
      const id = keyIdentity(read.entry.tableName, read.entry.key);
      const same = waiting.get(id);
      if (same) same.push(read);
      else {
        waiting.set(id, [read]);
        requests.set(id, read.entry);
      }
    }
    const answer = (id: string, item: Item | undefined) => {
      for (const read of waiting.get(id) ?? []) read.resolve(item);
      waiting.delete(id);
    };
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
        .map(async (read) => {
          const id = keyIdentity(read.tableName, read.key);
          try {
            answer(id, await this.getItem(read));
          } catch (error) {
            for (const waiter of waiting.get(id) ?? []) waiter.reject(error);
            waiting.delete(id);
          }
        }),
    );
  }
}
