import { SQSClient } from '@aws-sdk/client-sqs';
import { CLIENT_SETTINGS, failTransientErrorsAsUnavailable, withoutSdkLogging } from './clients';

/**
 * An SQS client pointed at the configured endpoint, bounded like the DynamoDB client (3 attempts
 * of at most 1 s to connect and 2 s to answer), so a webhook delivery gets its 503 well inside the
 * function's time and Stripe retries it.
 */
export function createSqsClient(config: { AWS_REGION: string; AWS_ENDPOINT_URL_SQS: string | undefined }): SQSClient {
  const client = new SQSClient({
    region: config.AWS_REGION,
    ...(config.AWS_ENDPOINT_URL_SQS ? { endpoint: config.AWS_ENDPOINT_URL_SQS } : {}),
    ...CLIENT_SETTINGS,
  });
  withoutSdkLogging(client);
  failTransientErrorsAsUnavailable(client, 'The events queue is unavailable; retry shortly.', 'queue_unavailable');
  return client;
}
