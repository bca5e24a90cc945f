import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueueDepth, QueueDepthReader } from '../../application/ports/queue-depth-reader';

/** SQS's approximate counts (eventually consistent in AWS: a few seconds behind). */
export class SqsQueueDepthReader implements QueueDepthReader {
  constructor(private readonly client: SQSClient) {}

  async depth(queueUrl: string): Promise<QueueDepth> {
    const { Attributes: a = {} } = await this.client.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
      }),
    );
    const count = (value: string | undefined) => Number(value ?? 0) || 0;
    return {
      visible: count(a.ApproximateNumberOfMessages),
      inFlight: count(a.ApproximateNumberOfMessagesNotVisible),
      delayed: count(a.ApproximateNumberOfMessagesDelayed),
    };
  }
}
