import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { writeConditionally } from '@shared/dynamodb/conditional-write';
import type { ClaimResult, NotificationLedger } from '../../application/ports/notification-ledger';

/**
 * The notifications-sent table: one item per billing event id with `status` sending, sent or
 * rejected. Items expire (`ttl`) after the longest time a message can still come back: the queue's
 * and the DLQ's 14-day retention, plus a margin for a redrive.
 */
export class DynamoNotificationLedger implements NotificationLedger {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly retentionSeconds = 35 * 24 * 3600,
  ) {}

  async claim(eventId: string, now: number, leaseMs: number, token: string): Promise<ClaimResult> {
    const claimed = await writeConditionally(
      this.client,
      new PutItemCommand({
        TableName: this.tableName,
        Item: {
          eventId: { S: eventId },
          status: { S: 'sending' },
          token: { S: token },
          leaseExpiresAt: { N: String(now + leaseMs) },
          claimedAt: { S: new Date(now).toISOString() },
          ttl: { N: String(Math.floor(now / 1000) + this.retentionSeconds) },
        },
        ConditionExpression: 'attribute_not_exists(eventId) OR (#status = :sending AND leaseExpiresAt < :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sending': { S: 'sending' }, ':now': { N: String(now) } },
      }),
    );
    if (claimed) return { outcome: 'claimed', token };
    // Not every emulator returns the item that failed the condition; read it.
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: { eventId: { S: eventId } }, ConsistentRead: true }));
    const status = Item?.status?.S;
    if (status === 'sent' || status === 'rejected') return { outcome: status };
    // Released or expired between the write and the read: the next delivery will find it free.
    return { outcome: 'in_progress', leaseExpiresAt: Number(Item?.leaseExpiresAt?.N ?? now) };
  }

  async markSent(eventId: string, token: string, details: { messageId: string; template: string; now: number }): Promise<void> {
    await this.finish(eventId, token, 'SET #status = :sent, messageId = :messageId, #template = :template, finishedAt = :at REMOVE leaseExpiresAt', {
      ':sent': { S: 'sent' },
      ':messageId': { S: details.messageId },
      ':template': { S: details.template },
      ':at': { S: new Date(details.now).toISOString() },
    }, { '#template': 'template' });
  }

  async markRejected(eventId: string, token: string, details: { reason: string; now: number }): Promise<void> {
    await this.finish(eventId, token, 'SET #status = :rejected, #reason = :reason, finishedAt = :at REMOVE leaseExpiresAt', {
      ':rejected': { S: 'rejected' },
      ':reason': { S: details.reason },
      ':at': { S: new Date(details.now).toISOString() },
    }, { '#reason': 'reason' });
  }

  async release(eventId: string, token: string): Promise<void> {
    // Not released when someone else's claim holds it now (ours expired and was taken over): theirs to finish.
    await writeConditionally(
      this.client,
      new DeleteItemCommand({
        TableName: this.tableName,
        Key: { eventId: { S: eventId } },
        ConditionExpression: '#token = :token AND #status = :sending',
        ExpressionAttributeNames: { '#token': 'token', '#status': 'status' },
        ExpressionAttributeValues: { ':token': { S: token }, ':sending': { S: 'sending' } },
      }),
    );
  }

  private async finish(eventId: string, token: string, update: string, values: Record<string, { S: string }>, names: Record<string, string>): Promise<void> {
    await writeConditionally(
      this.client,
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: { eventId: { S: eventId } },
        UpdateExpression: update,
        // Only the holder records the outcome; a delivery whose lease was taken over has already
        // been doubled and must not overwrite what the taker records.
        ConditionExpression: '#token = :token',
        ExpressionAttributeNames: { '#status': 'status', '#token': 'token', ...names },
        ExpressionAttributeValues: { ...values, ':token': { S: token } },
      }),
    );
  }
}
