import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { withoutSdkLogging } from '@shared/aws/without-sdk-logging';

interface Endpoints {
  AWS_REGION: string;
  AWS_ENDPOINT_URL_DYNAMODB?: string | undefined;
}

// Bounded like every client of this system: a hung endpoint must fail the record (to be retried)
// well inside the function's timeout, not hold the whole batch until Lambda kills it. Each client
// also resolves its middleware once per command type (cacheMiddleware; no middleware is added to
// these clients, which caching would forbid after a first call) and goes without the SDK's logger
// middleware, per-call CPU spent for a logger that is never given.
export const requestHandler = { connectionTimeout: 1_000, requestTimeout: 3_000, throwOnRequestTimeout: true };

export function createDynamoDbClient(config: Endpoints): DynamoDBClient {
  const client = new DynamoDBClient({
    region: config.AWS_REGION,
    ...(config.AWS_ENDPOINT_URL_DYNAMODB ? { endpoint: config.AWS_ENDPOINT_URL_DYNAMODB } : {}),
    maxAttempts: 3,
    requestHandler,
    cacheMiddleware: true,
  });
  withoutSdkLogging(client);
  return client;
}
