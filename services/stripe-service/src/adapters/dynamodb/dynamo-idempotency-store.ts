import {
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { BeginResult, IdempotencyStore, StoredResponse } from '../../application/ports/idempotency-store';
import { writeConditionally } from '@shared/dynamodb/conditional-write';

type Item = Record<string, AttributeValue>;

/**
 * API idempotency table: key `idempotencyKey`, `ttl` (epoch seconds) for DynamoDB's expiry. Expiry
 * is also checked on read, because DynamoDB removes expired items only eventually (and emulators never).
 */
export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async begin(input: { key: string; payloadHash: string; operationId: string; nowMs: number; inProgressMs: number; ttlSeconds: number }): Promise<BeginResult> {
    const nowSeconds = Math.floor(input.nowMs / 1000);
    const existing = await this.get(input.key);
    if (!existing || Number(existing.ttl?.N ?? 0) <= nowSeconds) {
      const taken = await this.conditionally(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            idempotencyKey: { S: input.key },
            status: { S: 'INPROGRESS' },
            payloadHash: { S: input.payloadHash },
            operationId: { S: input.operationId },
            inProgressExpiry: { N: String(input.nowMs + input.inProgressMs) },
            ttl: { N: String(nowSeconds + input.ttlSeconds) },
          },
          ConditionExpression: 'attribute_not_exists(idempotencyKey) OR #ttl <= :now',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':now': { N: String(nowSeconds) } },
        }),
      );
      return taken ? { kind: 'acquired', operationId: input.operationId } : { kind: 'in_progress' };
    }
    if (existing.payloadHash?.S !== input.payloadHash) return { kind: 'mismatch' };
    const operationId = existing.operationId?.S ?? '';
    if (existing.status?.S === 'COMPLETED') return { kind: 'completed', response: JSON.parse(existing.response?.S ?? '{}') as StoredResponse };
    const heldUntil = Number(existing.inProgressExpiry?.N ?? 0);
    if (heldUntil > input.nowMs) return { kind: 'in_progress' };
    // The holder crashed or gave up: take over, keeping its operation id so the work repeats, not doubles.
    const taken = await this.conditionally(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: { idempotencyKey: { S: input.key } },
        UpdateExpression: 'SET inProgressExpiry = :next',
        ConditionExpression: '#status = :inProgress AND inProgressExpiry = :held',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':next': { N: String(input.nowMs + input.inProgressMs) },
          ':inProgress': { S: 'INPROGRESS' },
          ':held': { N: String(heldUntil) },
        },
      }),
    );
    return taken ? { kind: 'acquired', operationId } : { kind: 'in_progress' };
  }

  async complete(key: string, operationId: string, response: StoredResponse): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: { idempotencyKey: { S: key } },
        UpdateExpression: 'SET #status = :completed, #response = :response REMOVE inProgressExpiry',
        ConditionExpression: 'operationId = :operation',
        ExpressionAttributeNames: { '#status': 'status', '#response': 'response' },
        ExpressionAttributeValues: { ':completed': { S: 'COMPLETED' }, ':response': { S: JSON.stringify(response) }, ':operation': { S: operationId } },
      }),
    );
  }

  async release(key: string, operationId: string): Promise<void> {
    await this.conditionally(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: { idempotencyKey: { S: key } },
        UpdateExpression: 'SET inProgressExpiry = :zero',
        ConditionExpression: 'operationId = :operation AND #status = :inProgress',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':zero': { N: '0' }, ':operation': { S: operationId }, ':inProgress': { S: 'INPROGRESS' } },
      }),
    );
  }

  private async get(key: string): Promise<Item | undefined> {
    const result = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: { idempotencyKey: { S: key } }, ConsistentRead: true }));
    return result.Item;
  }

  private conditionally(command: PutItemCommand | UpdateItemCommand): Promise<boolean> {
    return writeConditionally(this.client, command);
  }
}
