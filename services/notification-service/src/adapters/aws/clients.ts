import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

interface Endpoints {
  AWS_REGION: string;
  AWS_ENDPOINT_URL_DYNAMODB?: string | undefined;
}

// Bounded like every client of this system: a hung endpoint must fail the record (to be retried)
// well inside the function's timeout, not hold the whole batch until Lambda kills it.
export const requestHandler = { connectionTimeout: 1_000, requestTimeout: 3_000, throwOnRequestTimeout: true };

export function createDynamoDbClient(config: Endpoints): DynamoDBClient {
  return new DynamoDBClient({
    region: config.AWS_REGION,
    ...(config.AWS_ENDPOINT_URL_DYNAMODB ? { endpoint: config.AWS_ENDPOINT_URL_DYNAMODB } : {}),
    maxAttempts: 3,
    requestHandler,
  });
}
