import { SESv2Client } from '@aws-sdk/client-sesv2';
import { withoutSdkLogging } from '@shared/aws/without-sdk-logging';
import { requestHandler } from '../aws/clients';

export function createSesClient(config: { AWS_REGION: string; AWS_ENDPOINT_URL_SESV2?: string | undefined }): SESv2Client {
  const client = new SESv2Client({
    region: config.AWS_REGION,
    ...(config.AWS_ENDPOINT_URL_SESV2 ? { endpoint: config.AWS_ENDPOINT_URL_SESV2 } : {}),
    // Each retry of a send whose answer was lost may deliver a copy; throttling is better left to
    // the queue's redelivery, which spaces attempts by the visibility timeout.
    maxAttempts: 2,
    requestHandler,
    cacheMiddleware: true,
  });
  withoutSdkLogging(client);
  return client;
}
