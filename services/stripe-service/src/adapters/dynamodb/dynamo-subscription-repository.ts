import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SubscriptionRepository } from '../../application/ports/subscription-repository';
import type { Subscription } from '../../domain/subscription';

type Item = Record<string, AttributeValue>;

/**
 * Subscriptions table: key `userId` + `subscriptionId`. Keys, status and version are attributes of
 * their own (for conditional writes and for operators' queries); the rest is one JSON document,
 * as in the payments table.
 */
export class DynamoSubscriptionRepository implements SubscriptionRepository {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async get(userId: string, subscriptionId: string): Promise<Subscription | undefined> {
    const result = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: { userId: { S: userId }, subscriptionId: { S: subscriptionId } }, ConsistentRead: true }),
    );
    return result.Item ? fromItem(result.Item) : undefined;
  }

  async create(subscription: Subscription): Promise<boolean> {
    return this.put(subscription, { ConditionExpression: 'attribute_not_exists(subscriptionId)' });
  }

  async update(subscription: Subscription, expectedVersion: number): Promise<boolean> {
    return this.put(subscription, {
      ConditionExpression: '#version = :expected',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':expected': { N: String(expectedVersion) } },
    });
  }

  private async put(subscription: Subscription, condition: Omit<ConstructorParameters<typeof PutItemCommand>[0], 'TableName' | 'Item'>): Promise<boolean> {
    try {
      await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: toItem(subscription), ...condition }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

function toItem(subscription: Subscription): Item {
  return {
    userId: { S: subscription.userId },
    subscriptionId: { S: subscription.subscriptionId },
    status: { S: subscription.status },
    version: { N: String(subscription.version) },
    record: { S: JSON.stringify(subscription) },
  };
}

function fromItem(item: Item): Subscription {
  const record = item.record?.S;
  if (record === undefined) throw new Error('subscription item without a record');
  return JSON.parse(record) as Subscription;
}
