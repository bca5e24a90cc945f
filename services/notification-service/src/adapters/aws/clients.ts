import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';

interface Endpoints {
  AWS_REGION: string;
  AWS_ENDPOINT_URL_DYNAMODB?: string | undefined;
  AWS_ENDPOINT_URL_SESV2?: string | undefined;
}

// Bounded like every client of this system: a hung endpoint must fail the record (to be retried)
// well inside the function's timeout, not hold the whole batch until Lambda kills it.
const requestHandler = { connectionTimeout: 1_000, requestTimeout: 3_000, throwOnRequestTimeout: true };

export function createDynamoDbClient(config: Endpoints): DynamoDBClient {
  return new DynamoDBClient({
    region: config.AWS_REGION,
    ...(config.AWS_ENDPOINT_URL_DYNAMODB ? { endpoint: config.AWS_ENDPOINT_URL_DYNAMODB } : {}),
    maxAttempts: 3,
    requestHandler,
  });
}

export function createSesClient(config: Endpoints): SESv2Client {
  return new SESv2Client({
    region: config.AWS_REGION,
    ...(config.AWS_ENDPOINT_URL_SESV2 ? { endpoint: config.AWS_ENDPOINT_URL_SESV2 } : {}),
    // Each retry of a send whose answer was lost may deliver a copy; throttling is better left to
    // the queue's redelivery, which spaces attempts by the visibility timeout.
    maxAttempts: 2,
    requestHandler,
  });
}
