import {
  ConditionalCheckFailedException,
  PutItemCommand,
  QueryCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { InvalidCursorError, type PaymentPage, type PaymentRepository } from '../../application/ports/payment-repository';
import type { Payment, PaymentStatus } from '../../domain/payment';
import { CoalescedGet } from '@shared/dynamodb/coalesced-get';

type Item = Record<string, AttributeValue>;

/**
 * Payments table: key `userId` + `paymentId`, GSI `stripePaymentIntentId-index`. The keys, status and
 * version are attributes of their own (for the index, filters and conditional writes); the rest of
 * the record is one JSON document, so the record can grow without a schema migration.
 */
export class DynamoPaymentRepository implements PaymentRepository {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** Consistent; concurrent reads (the records of a worker's batch) share one BatchGetItem. */
  async get(userId: string, paymentId: string): Promise<Payment | undefined> {
    const item = await CoalescedGet.for(this.client).get(this.tableName, { userId: { S: userId }, paymentId: { S: paymentId } });
    return item ? fromItem(item) : undefined;
  }

  async findByPaymentIntentId(stripePaymentIntentId: string): Promise<Payment | undefined> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'stripePaymentIntentId-index',
        KeyConditionExpression: 'stripePaymentIntentId = :id',
        ExpressionAttributeValues: { ':id': { S: stripePaymentIntentId } },
        Limit: 1,
      }),
    );
    const item = result.Items?.[0];
    return item ? fromItem(item) : undefined;
  }

  async create(payment: Payment): Promise<{ payment: Payment; created: boolean }> {
    try {
      await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: toItem(payment), ConditionExpression: 'attribute_not_exists(paymentId)' }));
      return { payment, created: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const stored = await this.get(payment.userId, payment.paymentId);
      if (!stored) throw new Error(`payment ${payment.paymentId} exists and does not`);
      return { payment: stored, created: false };
    }
  }

  async update(payment: Payment, expectedVersion: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toItem(payment),
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': { N: String(expectedVersion) } },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async list(userId: string, options: { limit: number; cursor?: string; status?: PaymentStatus }): Promise<PaymentPage> {
    let startKey: Item | undefined = options.cursor === undefined ? undefined : { userId: { S: userId }, paymentId: { S: decodeCursor(options.cursor) } };
    // One more than asked for tells whether a next page exists. A status filter applies after
    // DynamoDB's Limit, so filtered reads go on page by page until enough match.
    const wanted = options.limit + 1;
    const payments: Payment[] = [];
    do {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'userId = :user',
          ScanIndexForward: false,
          Limit: options.status ? 100 : wanted - payments.length,
          ExclusiveStartKey: startKey,
          ...(options.status ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } } : {}),
          ExpressionAttributeValues: { ':user': { S: userId }, ...(options.status ? { ':status': { S: options.status } } : {}) },
        }),
      );
      payments.push(...(result.Items ?? []).map(fromItem));
      startKey = result.LastEvaluatedKey;
    } while (startKey && payments.length < wanted);
    const page = payments.slice(0, options.limit);
    const last = page[page.length - 1];
    return { payments: page, nextCursor: payments.length > options.limit && last ? encodeCursor(last.paymentId) : undefined };
  }
}

function encodeCursor(paymentId: string): string {
  return Buffer.from(JSON.stringify({ p: paymentId })).toString('base64url');
}

function decodeCursor(cursor: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { p?: unknown };
    if (typeof parsed.p === 'string' && /^pay_[0-9a-z]{26}$/.test(parsed.p)) return parsed.p;
  } catch {
    // Falls through to the refusal below.
  }
  throw new InvalidCursorError();
}

function toItem(payment: Payment): Item {
  return {
    userId: { S: payment.userId },
    paymentId: { S: payment.paymentId },
    stripePaymentIntentId: { S: payment.stripePaymentIntentId },
    status: { S: payment.status },
    version: { N: String(payment.version) },
    createdAt: { S: payment.createdAt },
    record: { S: JSON.stringify(payment) },
  };
}

function fromItem(item: Item): Payment {
  const record = item.record?.S;
  if (record === undefined) throw new Error('payment item without a record');
  return JSON.parse(record) as Payment;
}
