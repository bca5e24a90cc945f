// DynamoDB tables as resources.json declares them, for the local stack and the tests' emulators.
import {
  CreateTableCommand,
  ResourceInUseException,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { TableDefinition } from './resources';

/** The CreateTable request for a table of the resource definition. */
export function createTableInput(table: TableDefinition, physicalName: string): CreateTableCommandInput {
  const attributes = new Map<string, 'S' | 'N' | 'B'>();
  const keys = [table.hashKey, table.rangeKey, ...(table.globalSecondaryIndexes ?? []).flatMap((g) => [g.hashKey, g.rangeKey])];
  for (const key of keys) if (key) attributes.set(key.name, key.type);
  const keySchema = (hash: { name: string }, range?: { name: string }) => [
    { AttributeName: hash.name, KeyType: 'HASH' as const },
    ...(range ? [{ AttributeName: range.name, KeyType: 'RANGE' as const }] : []),
  ];
  return {
    TableName: physicalName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    KeySchema: keySchema(table.hashKey, table.rangeKey),
    ...(table.globalSecondaryIndexes?.length
      ? {
          GlobalSecondaryIndexes: table.globalSecondaryIndexes.map((index) => ({
            IndexName: index.name,
            KeySchema: keySchema(index.hashKey, index.rangeKey),
            Projection: { ProjectionType: index.projection },
          })),
        }
      : {}),
  };
}

/** Creates the table unless it exists. */
export async function ensureTable(client: DynamoDBClient, table: TableDefinition, physicalName: string): Promise<void> {
  try {
    await client.send(new CreateTableCommand(createTableInput(table, physicalName)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}
