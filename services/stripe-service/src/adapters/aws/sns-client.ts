import { SNSClient } from '@aws-sdk/client-sns';
import { CLIENT_SETTINGS, failTransientErrorsAsUnavailable, withoutSdkLogging } from './clients';

/**
 * An SNS client pointed at the configured endpoint, bounded like the other clients (3 attempts of
 * at most 1 s to connect and 2 s to answer): a topic that is down fails the record within the
 * worker's time, and the queue brings the record back.
 */
export function createSnsClient(config: { AWS_REGION: string; AWS_ENDPOINT_URL_SNS: string | undefined }): SNSClient {
  const client = new SNSClient({
    region: config.AWS_REGION,
    ...(config.AWS_ENDPOINT_URL_SNS ? { endpoint: config.AWS_ENDPOINT_URL_SNS } : {}),
    ...CLIENT_SETTINGS,
  });
  withoutSdkLogging(client);
  failTransientErrorsAsUnavailable(client, 'The billing events topic is unavailable; retry shortly.', 'topic_unavailable');
  return client;
}
