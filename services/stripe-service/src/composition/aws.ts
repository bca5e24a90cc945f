import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ContainerModule } from 'inversify';
import { createDynamoDbClient } from '../adapters/aws/clients';
import type { Config } from '../config';

export const DYNAMODB = Symbol.for('DynamoDBClient');

/** AWS clients. */
export const awsModule = (config: Config<'AWS_ENDPOINT_URL_DYNAMODB'>) =>
  new ContainerModule(({ bind }) => {
    bind<DynamoDBClient>(DYNAMODB).toDynamicValue(() => createDynamoDbClient(config));
  });

