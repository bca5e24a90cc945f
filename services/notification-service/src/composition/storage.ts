import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ContainerModule } from 'inversify';
import { CUSTOMER_CONTACTS, type CustomerContacts } from '../application/ports/customer-contacts';
import { NOTIFICATION_LEDGER, type NotificationLedger } from '../application/ports/notification-ledger';
import { createDynamoDbClient } from '../adapters/aws/clients';
import { DynamoCustomerContacts } from '../adapters/dynamodb/dynamo-customer-contacts';
import { DynamoNotificationLedger } from '../adapters/dynamodb/dynamo-notification-ledger';
import type { NotificationConfig } from '../config';

const DYNAMODB = Symbol.for('DynamoDBClient');

/** DynamoDB: the customers table (read) and the notifications-sent ledger. */
export const storageModule = (config: Pick<NotificationConfig, 'AWS_REGION' | 'AWS_ENDPOINT_URL_DYNAMODB' | 'STRIPE_CUSTOMERS_TABLE' | 'NOTIFICATIONS_SENT_TABLE'>) =>
  new ContainerModule(({ bind }) => {
    bind<DynamoDBClient>(DYNAMODB).toDynamicValue(() => createDynamoDbClient(config));
    bind<CustomerContacts>(CUSTOMER_CONTACTS).toResolvedValue((client: DynamoDBClient) => new DynamoCustomerContacts(client, config.STRIPE_CUSTOMERS_TABLE), [DYNAMODB]);
    bind<NotificationLedger>(NOTIFICATION_LEDGER).toResolvedValue((client: DynamoDBClient) => new DynamoNotificationLedger(client, config.NOTIFICATIONS_SENT_TABLE), [DYNAMODB]);
  });
