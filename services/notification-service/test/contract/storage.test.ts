import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DYNAMO_EMULATORS, withTable } from '../../../stripe-service/test/contract/dynamo-backends';
import { DynamoCustomerContacts } from '../../src/adapters/dynamodb/dynamo-customer-contacts';
import { DynamoNotificationLedger } from '../../src/adapters/dynamodb/dynamo-notification-ledger';
import { InMemoryCustomerContacts } from '../fakes/in-memory-customer-contacts';
import { InMemoryNotificationLedger } from '../fakes/in-memory-notification-ledger';
import { customerContactsContract } from './customer-contacts.contract';
import { notificationLedgerContract } from './notification-ledger.contract';

notificationLedgerContract('in-memory', async () => ({ subject: new InMemoryNotificationLedger(), teardown: async () => {} }));
for (const { name, start } of DYNAMO_EMULATORS) {
  notificationLedgerContract(`DynamoDB on ${name}`, withTable(start, 'notifications_sent', 'contract-notifications-sent', (client) => new DynamoNotificationLedger(client, 'contract-notifications-sent')));
}

customerContactsContract('in-memory', async () => {
  const contacts = new InMemoryCustomerContacts();
  return { subject: { contacts, addCustomer: async (userId, email) => contacts.add(userId, email) }, teardown: async () => {} };
});
const customersTable = 'contract-customers';
for (const { name, start } of DYNAMO_EMULATORS) {
  customerContactsContract(
    `DynamoDB on ${name}`,
    withTable(start, 'customers', customersTable, (client) => ({
      contacts: new DynamoCustomerContacts(client, customersTable),
      // The payments service's record layout (DynamoCustomerRepository): email is absent when unknown.
      addCustomer: async (userId: string, email: string | undefined) => {
        await client.send(
          new PutItemCommand({
            TableName: customersTable,
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
