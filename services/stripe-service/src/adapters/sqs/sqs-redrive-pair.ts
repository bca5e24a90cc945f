import { GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { RedrivePair } from '../../application/ports/dead-letter-redriver';

/**
 * A queue and its dead-letter queue as SQS itself links them (the source's RedrivePolicy), so the
 * tool moves messages to exactly where they failed, whatever the DLQ happens to be named.
 */
export async function locateRedrivePair(client: SQSClient, id: string, queueName: string): Promise<RedrivePair> {
  const { QueueUrl: url } = await client.send(new GetQueueUrlCommand({ QueueName: queueName }));
  if (!url) throw new Error(`SQS has no queue named ${queueName}`);
  const { Attributes: attributes = {} } = await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn', 'RedrivePolicy'] }));
  if (!attributes.QueueArn) throw new Error(`SQS did not say the ARN of ${queueName}`);
  if (!attributes.RedrivePolicy) throw new Error(`${queueName} has no redrive policy: it has no dead-letter queue to redrive from`);
  const policy = JSON.parse(attributes.RedrivePolicy) as { deadLetterTargetArn?: unknown };
  if (typeof policy.deadLetterTargetArn !== 'string') throw new Error(`${queueName}'s redrive policy names no dead-letter queue`);
  const dlqArn = policy.deadLetterTargetArn;
  // arn:aws:sqs:<region>:<account>:<name>
  const [, , , , account, dlqName] = dlqArn.split(':');
  if (!dlqName) throw new Error(`unexpected dead-letter queue ARN ${dlqArn}`);
  const { QueueUrl: dlqUrl } = await client.send(new GetQueueUrlCommand({ QueueName: dlqName, ...(account ? { QueueOwnerAWSAccountId: account } : {}) }));
  if (!dlqUrl) throw new Error(`SQS has no queue named ${dlqName}`);
  return { id, source: { url, arn: attributes.QueueArn }, deadLetter: { url: dlqUrl, arn: dlqArn } };
}
