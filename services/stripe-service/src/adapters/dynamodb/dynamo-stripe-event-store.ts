import {
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  DEFAULT_RECEIPT_LEASE_MS,
  type RecordReceiptResult,
  type StripeEventRecord,
  type StripeEventStatus,
  type StripeEventStore,
} from '../../application/ports/stripe-event-store';
import { CoalescedGet } from '@shared/dynamodb/coalesced-get';
import { CoalescedPut } from '@shared/dynamodb/coalesced-put';
import { writeConditionally } from '@shared/dynamodb/conditional-write';

type Item = Record<string, AttributeValue>;

// `enqueued` is read, never written: older deploys marked records so, and they live out their TTL.
const STATUSES: readonly StripeEventStatus[] = ['received', 'enqueued', 'processed'];

/**
 * The webhook idempotency table: key `eventId`, `ttl` in epoch seconds for DynamoDB's expiry. One
 * conditional put decides which of many concurrent deliveries enqueues the event; a `received`
 * record whose `leaseUntil` has passed and that the worker has not marked processed is taken over,
 * so a delivery that crashed before enqueueing does not swallow the event (and one whose event is
 * still on its way puts a second copy on the queue, which the worker dedupes). Expiry is also
 * checked in the condition, because DynamoDB removes expired items only eventually (and the
 * emulators never).
 */
export class DynamoStripeEventStore implements StripeEventStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async recordReceipt(input: { eventId: string; type: string; nowMs: number; ttlSeconds: number; leaseMs?: number }): Promise<RecordReceiptResult> {
    const nowSeconds = Math.floor(input.nowMs / 1000);
    const recorded = await writeConditionally(
      this.client,
      new PutItemCommand({
        TableName: this.tableName,
        Item: {
          eventId: { S: input.eventId },
          type: { S: input.type },
          status: { S: 'received' },
          receivedAt: { N: String(input.nowMs) },
          leaseUntil: { N: String(input.nowMs + (input.leaseMs ?? DEFAULT_RECEIPT_LEASE_MS)) },
          ttl: { N: String(nowSeconds + input.ttlSeconds) },
        },
        ConditionExpression: 'attribute_not_exists(eventId) OR #ttl <= :nowSeconds OR (#status = :received AND leaseUntil <= :nowMs)',
        ExpressionAttributeNames: { '#ttl': 'ttl', '#status': 'status' },
        ExpressionAttributeValues: { ':nowSeconds': { N: String(nowSeconds) }, ':nowMs': { N: String(input.nowMs) }, ':received': { S: 'received' } },
      }),
    );
    if (recorded) return { kind: 'enqueue' };
    // dynalite cannot return the item that failed the condition, so it is read (consistently) instead.
    const existing = await this.get(input.eventId);
    if (!existing) return { kind: 'in_progress' };
    return existing.status === 'received' ? { kind: 'in_progress' } : { kind: 'duplicate', status: existing.status };
  }

  async markProcessed(eventId: string, nowMs: number, ttlSeconds: number, read?: { record: StripeEventRecord | undefined }): Promise<void> {
    if (read) {
      // The record as read, closed: the put keeps what the update's if_not_exists keeps, and the
      // marks of a batch's records share one BatchWriteItem instead of an UpdateItem each.
      const key = { eventId: { S: eventId } };
      await CoalescedPut.for(this.client).put(this.tableName, key, {
        ...key,
        type: { S: read.record?.type ?? '' },
        status: { S: 'processed' },
        receivedAt: { N: String(read.record?.receivedAt ?? nowMs) },
        processedAt: { N: String(nowMs) },
        ttl: { N: String(Math.floor(nowMs / 1000) + ttlSeconds) },
      });
      return;
    }
    // An upsert: an event fed in by a replay may never have passed the ingress.
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: { eventId: { S: eventId } },
        UpdateExpression: 'SET #status = :processed, processedAt = :now, #ttl = :ttl, receivedAt = if_not_exists(receivedAt, :now), #type = if_not_exists(#type, :unknown) REMOVE leaseUntil',
        ExpressionAttributeNames: { '#status': 'status', '#ttl': 'ttl', '#type': 'type' },
        ExpressionAttributeValues: {
          ':processed': { S: 'processed' },
          ':now': { N: String(nowMs) },
          ':ttl': { N: String(Math.floor(nowMs / 1000) + ttlSeconds) },
          ':unknown': { S: '' },
        },
      }),
    );
  }

  /** Consistent; concurrent reads (the records of a worker's batch) share one BatchGetItem. */
  async get(eventId: string): Promise<StripeEventRecord | undefined> {
    const item = await CoalescedGet.for(this.client).get(this.tableName, { eventId: { S: eventId } });
    return item ? toRecord(item) : undefined;
  }
}

function toRecord(item: Item): StripeEventRecord {
  const status = STATUSES.find((s) => s === item.status?.S) ?? 'received';
  return {
    eventId: item.eventId?.S ?? '',
    type: item.type?.S ?? '',
    status,
    receivedAt: Number(item.receivedAt?.N ?? 0),
    processedAt: item.processedAt?.N === undefined ? undefined : Number(item.processedAt.N),
    ttl: Number(item.ttl?.N ?? 0),
  };
}
