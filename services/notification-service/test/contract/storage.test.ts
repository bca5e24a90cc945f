import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadResources } from '../../../../scripts/lib/resources';
import { dynamoClient, ensureTable, startDynalite, startMoto, type Emulator } from '../../../../scripts/testing/emulators';
import { DynamoCustomerContacts } from '../../src/adapters/dynamodb/dynamo-customer-contacts';
import { DynamoNotificationLedger } from '../../src/adapters/dynamodb/dynamo-notification-ledger';
import { InMemoryCustomerContacts } from '../fakes/in-memory-customer-contacts';
import { InMemoryNotificationLedger } from '../fakes/in-memory-notification-ledger';
import { customerContactsContract } from './customer-contacts.contract';
import { notificationLedgerContract } from './notification-ledger.contract';

const tables = loadResources().tables;
const table = (id: string) => {
  const found = tables.find((t) => t.id === id);
  if (!found) throw new Error(`resources.json has no ${id} table`);
  return found;
};

function onEmulator<S>(start: () => Promise<Emulator>, tableId: string, build: (client: DynamoDBClient, tableName: string) => S) {
  return async () => {
    const emulator = await start();
    const client = dynamoClient(emulator.endpoint);
    const tableName = `contract-${tableId}`;
    try {
      await ensureTable(client, table(tableId), tableName);
    } catch (error) {
      client.destroy();
      await emulator.stop();
      throw error;
    }
    return {
      subject: build(client, tableName),
      teardown: async () => {
        client.destroy();
        await emulator.stop();
      },
    };
  };
}

const emulators = [
  { name: 'dynalite', start: startDynalite },
  { name: 'moto', start: startMoto },
];

notificationLedgerContract('in-memory', async () => ({ subject: new InMemoryNotificationLedger(), teardown: async () => {} }));
for (const { name, start } of emulators) {
  notificationLedgerContract(`DynamoDB on ${name}`, onEmulator(start, 'notifications_sent', (client, tableName) => new DynamoNotificationLedger(client, tableName)));
}

customerContactsContract('in-memory', async () => {
  const contacts = new InMemoryCustomerContacts();
  return { subject: { contacts, addCustomer: async (userId, email) => contacts.add(userId, email) }, teardown: async () => {} };
});
for (const { name, start } of emulators) {
  customerContactsContract(
    `DynamoDB on ${name}`,
    onEmulator(start, 'customers', (client, tableName) => ({
      contacts: new DynamoCustomerContacts(client, tableName),
      // The payments service's record layout (DynamoCustomerRepository): email is absent when unknown.
      addCustomer: async (userId: string, email: string | undefined) => {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              userId: { S: userId },
              status: { S: 'active' },
              stripeCustomerId: { S: `cus_${userId.slice(-8)}` },
              role: { S: 'user' },
              ...(email ? { email: { S: email } } : {}),
            },
          }),
        );
      },
    })),
  );
}
