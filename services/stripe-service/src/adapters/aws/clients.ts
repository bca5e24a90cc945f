import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

interface AwsConfig {
  AWS_REGION: string;
}

/** A DynamoDB client pointed at the configured endpoint (an emulator locally, AWS otherwise). */
export function createDynamoDbClient(config: AwsConfig & { AWS_ENDPOINT_URL_DYNAMODB: string | undefined }): DynamoDBClient {
  return new DynamoDBClient({
    region: config.AWS_REGION,
    ...(config.AWS_ENDPOINT_URL_DYNAMODB ? { endpoint: config.AWS_ENDPOINT_URL_DYNAMODB } : {}),
    maxAttempts: 3,
  });
}
