import { loadResources } from '../../../../scripts/lib/resources';
import { dynamoClient, ensureTable, startDynalite, startMoto, type Emulator } from '../../../../scripts/testing/emulators';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** The DynamoDB implementations every repository's contract suite runs on: two independent ones. */
export const DYNAMO_EMULATORS: { name: string; start: () => Promise<Emulator> }[] = [
  { name: 'dynalite', start: startDynalite },
  { name: 'moto', start: startMoto },
];

/** Starts an emulator with one table of resources.json created under `tableName`. */
export function withTable<R>(start: () => Promise<Emulator>, tableId: string, tableName: string, build: (client: DynamoDBClient) => R) {
  const table = loadResources().tables.find((t) => t.id === tableId);
  if (!table) throw new Error(`resources.json has no ${tableId} table`);
  return async () => {
    const emulator = await start();
    const client = dynamoClient(emulator.endpoint);
    try {
      await ensureTable(client, table, tableName);
    } catch (error) {
      client.destroy();
      await emulator.stop();
      throw error;
    }
    return {
      subject: build(client),
      teardown: async () => {
        client.destroy();
        await emulator.stop();
      },
    };
  };
}
