// Queues on an SQS endpoint for the redrive tests: a source queue with its dead-letter queue, and
// messages put in and taken out with their attributes.
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { RedrivePair } from '../../src/application/ports/dead-letter-redriver';
import type { FakeMessage } from '../fakes/in-memory-dead-letter-queues';
import { uniqueQueueName } from '../contract/dead-letter-redriver.contract';

/** A source queue whose redrive policy names its own dead-letter queue, as the local stack and Terraform make them. */
export async function createPair(client: SQSClient, label: string): Promise<RedrivePair> {
  const name = uniqueQueueName(label);
  const arnOf = async (url: string) => (await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const dlqUrl = (await client.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }))).QueueUrl!;
  const dlqArn = await arnOf(dlqUrl);
  const url = (
    await client.send(new CreateQueueCommand({ QueueName: name, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }) } }))
  ).QueueUrl!;
  return { id: label, source: { url, arn: await arnOf(url) }, deadLetter: { url: dlqUrl, arn: dlqArn } };
}

export async function putMessage(client: SQSClient, url: string, message: FakeMessage): Promise<void> {
  await client.send(
    new SendMessageCommand({
      QueueUrl: url,
      MessageBody: message.body,
      MessageAttributes: Object.fromEntries(Object.entries(message.attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }])),
    }),
  );
}

/** Receives until `expected` messages arrived, or a long poll comes back empty after `waitMs`; deletes what it got. */
export async function drainQueue(client: SQSClient, url: string, expected: number, options: { waitMs?: number } = {}): Promise<FakeMessage[]> {
  const got: FakeMessage[] = [];
  const deadline = Date.now() + (options.waitMs ?? 0);
  while (got.length < expected) {
    const { Messages = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }));
    if (Messages.length === 0) {
      if (Date.now() >= deadline) break;
      continue;
    }
    for (const m of Messages) {
      got.push({ body: m.Body ?? '', attributes: Object.fromEntries(Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? ''])) });
    }
    await client.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
  }
  return got;
}

