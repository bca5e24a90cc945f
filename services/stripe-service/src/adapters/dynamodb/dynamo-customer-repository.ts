import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { CustomerRecord } from '../../domain/customer';
import type { CustomerRepository } from '../../application/ports/customer-repository';

type Item = Record<string, AttributeValue>;

/** Customers table: key `userId`, GSI `stripeCustomerId-index`. Single-item conditional writes only. */
export class DynamoCustomerRepository implements CustomerRepository {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async get(userId: string): Promise<CustomerRecord | undefined> {
    const result = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: { userId: { S: userId } }, ConsistentRead: true }),
    );
    return result.Item ? fromItem(result.Item) : undefined;
  }

  async insertIfAbsent(record: CustomerRecord): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({ TableName: this.tableName, Item: toItem(record), ConditionExpression: 'attribute_not_exists(userId)' }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async replaceLease(userId: string, expectedLease: number, newLease: number, now: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { userId: { S: userId } },
          UpdateExpression: 'SET leaseExpiresAt = :next, updatedAt = :now',
          ConditionExpression: '#status = :creating AND leaseExpiresAt = :expected',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':next': { N: String(newLease) },
            ':now': { S: now },
            ':creating': { S: 'creating' },
            ':expected': { N: String(expectedLease) },
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async complete(userId: string, stripeCustomerId: string, email: string | undefined, now: string): Promise<CustomerRecord> {
    try {
      const result = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { userId: { S: userId } },
          UpdateExpression: `SET stripeCustomerId = :customer, #status = :active, updatedAt = :now${email === undefined ? '' : ', email = :email'} REMOVE leaseExpiresAt${email === undefined ? ', email' : ''}`,
          ConditionExpression: 'attribute_exists(userId) AND attribute_not_exists(stripeCustomerId)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':customer': { S: stripeCustomerId },
            ':active': { S: 'active' },
            ':now': { S: now },
            ...(email === undefined ? {} : { ':email': { S: email } }),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      if (!result.Attributes) throw new Error('UpdateItem returned no attributes');
      return fromItem(result.Attributes);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const stored = await this.get(userId);
      if (!stored) throw new Error(`customer record for ${userId} vanished before completion`);
      return stored;
    }
  }

  async updateEmail(userId: string, email: string | undefined, now: string): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: { userId: { S: userId } },
        UpdateExpression: email === undefined ? 'SET updatedAt = :now REMOVE email' : 'SET updatedAt = :now, email = :email',
        ConditionExpression: 'attribute_exists(userId)',
        ExpressionAttributeValues: { ':now': { S: now }, ...(email === undefined ? {} : { ':email': { S: email } }) },
      }),
    );
  }

  async replaceIfUnchanged(next: CustomerRecord, expected: CustomerRecord): Promise<boolean> {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Item = { ':status': { S: expected.status } };
    const conditions = ['attribute_exists(userId)', '#status = :status'];
    const same = (attribute: 'stripeCustomerId' | 'email' | 'lastStripeEventId', value: string | undefined) => {
      if (value === undefined) conditions.push(`attribute_not_exists(${attribute})`);
      else {
        conditions.push(`${attribute} = :${attribute}`);
        values[`:${attribute}`] = { S: value };
      }
    };
    same('stripeCustomerId', expected.stripeCustomerId);
    same('email', expected.email);
    same('lastStripeEventId', expected.lastStripeEventId);
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toItem(next),
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async findByStripeCustomerId(stripeCustomerId: string): Promise<CustomerRecord | undefined> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'stripeCustomerId-index',
        KeyConditionExpression: 'stripeCustomerId = :id',
        ExpressionAttributeValues: { ':id': { S: stripeCustomerId } },
        Limit: 1,
      }),
    );
    const item = result.Items?.[0];
    return item ? fromItem(item) : undefined;
  }
}

function toItem(record: CustomerRecord): Item {
  const item: Item = {
    userId: { S: record.userId },
    role: { S: record.role },
    status: { S: record.status },
    createdAt: { S: record.createdAt },
    updatedAt: { S: record.updatedAt },
  };
  if (record.email !== undefined) item.email = { S: record.email };
  if (record.stripeCustomerId !== undefined) item.stripeCustomerId = { S: record.stripeCustomerId };
  if (record.leaseExpiresAt !== undefined) item.leaseExpiresAt = { N: String(record.leaseExpiresAt) };
  if (record.deletedStripeCustomerIds?.length) item.deletedStripeCustomerIds = { L: record.deletedStripeCustomerIds.map((id) => ({ S: id })) };
  if (record.lastStripeEventCreated !== undefined) item.lastStripeEventCreated = { N: String(record.lastStripeEventCreated) };
  if (record.lastStripeEventId !== undefined) item.lastStripeEventId = { S: record.lastStripeEventId };
  if (record.lastStripeEventFrom !== undefined) item.lastStripeEventFrom = { S: record.lastStripeEventFrom };
  return item;
}

function fromItem(item: Item): CustomerRecord {
  const status = item.status?.S;
  return {
    userId: item.userId?.S ?? '',
    email: item.email?.S,
    role: item.role?.S ?? 'user',
    // Rows written before the lease existed carry only stripeCustomerId.
    status: status === 'creating' ? 'creating' : 'active',
    stripeCustomerId: item.stripeCustomerId?.S,
    leaseExpiresAt: item.leaseExpiresAt?.N === undefined ? undefined : Number(item.leaseExpiresAt.N),
    createdAt: item.createdAt?.S ?? '',
    updatedAt: item.updatedAt?.S ?? '',
    deletedStripeCustomerIds: item.deletedStripeCustomerIds?.L?.flatMap((v) => (v.S === undefined ? [] : [v.S])),
    lastStripeEventCreated: item.lastStripeEventCreated?.N === undefined ? undefined : Number(item.lastStripeEventCreated.N),
    lastStripeEventId: item.lastStripeEventId?.S,
    lastStripeEventFrom: item.lastStripeEventFrom?.S,
  };
}
