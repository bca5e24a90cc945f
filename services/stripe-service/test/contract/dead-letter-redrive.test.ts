import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { SqsCopyRedriver } from '../../src/adapters/sqs/sqs-copy-redriver';
import { SqsMoveTaskRedriver } from '../../src/adapters/sqs/sqs-move-task-redriver';
import { SqsQueueDepthReader } from '../../src/adapters/sqs/sqs-queue-depth-reader';
import type { DeadLetterRedriver, RedriveMethod, RedrivePair } from '../../src/application/ports/dead-letter-redriver';
import { SystemClock } from '../../src/adapters/system/system-clock';
import { sqsClient, startElasticMq, startFauxqs, startMoto, type Emulator } from '../../../../scripts/testing/emulators';
import { InMemoryQueues, type FakeMessage } from '../fakes/in-memory-dead-letter-queues';
import { deadLetterRedriverContract, queueDepthReaderContract, uniqueQueueName, type RedriveSubject } from './dead-letter-redriver.contract';

function inMemory(method: RedriveMethod): () => Promise<RedriveSubject> {
  return async () => {
    const queues = new InMemoryQueues();
    let n = 0;
    return {
      redriver: queues.redriver(method),
      depths: queues,
      newPair: async () => {
        n += 1;
        return { id: `q${n}`, source: { url: `mem://q${n}`, arn: `arn:mem:q${n}` }, deadLetter: { url: `mem://q${n}-dlq`, arn: `arn:mem:q${n}-dlq` } };
      },
      put: async (url, message) => queues.put(url, message),
      drain: async (url) => queues.take(url),
      teardown: async () => {},
    };
  };
}

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

/** Receives until `expected` messages arrived or a long poll comes back empty; deletes what it got. */
export async function drainQueue(client: SQSClient, url: string, expected: number): Promise<FakeMessage[]> {
  const got: FakeMessage[] = [];
  while (got.length < expected) {
    const { Messages = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }));
    if (Messages.length === 0) break;
    for (const m of Messages) {
      got.push({ body: m.Body ?? '', attributes: Object.fromEntries(Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? ''])) });
    }
    await client.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
  }
  return got;
}

function onSqs(start: () => Promise<Emulator>, redriver: (client: SQSClient) => DeadLetterRedriver): () => Promise<RedriveSubject> {
  return async () => {
    const emulator = await start();
    const client = sqsClient(emulator.endpoint);
    return {
      redriver: redriver(client),
      depths: new SqsQueueDepthReader(client),
      newPair: () => createPair(client, 'contract'),
      put: (url, message) => putMessage(client, url, message),
      drain: (url, expected) => drainQueue(client, url, expected),
      teardown: async () => {
        client.destroy();
        await emulator.stop();
      },
    };
  };
}

const moveTask = (client: SQSClient) => new SqsMoveTaskRedriver(client, new SystemClock(), 100);
const copy = (client: SQSClient) => new SqsCopyRedriver(client, { waitTimeSeconds: 1 });

deadLetterRedriverContract({ name: 'in-memory', method: 'move_task', supports: true, setup: inMemory('move_task') });
deadLetterRedriverContract({ name: 'in-memory', method: 'receive_send_delete', supports: true, setup: inMemory('receive_send_delete') });
queueDepthReaderContract('in-memory', inMemory('receive_send_delete'));

const EMULATORS: { name: string; start: () => Promise<Emulator>; moveTasks: boolean }[] = [
  { name: 'ElasticMQ', start: startElasticMq, moveTasks: true },
  { name: 'fauxqs', start: startFauxqs, moveTasks: false },
  { name: 'moto', start: startMoto, moveTasks: false },
];
for (const emulator of EMULATORS) {
  deadLetterRedriverContract({ name: emulator.name, method: 'move_task', supports: emulator.moveTasks, setup: onSqs(emulator.start, moveTask) });
  deadLetterRedriverContract({ name: emulator.name, method: 'receive_send_delete', supports: true, setup: onSqs(emulator.start, copy) });
  queueDepthReaderContract(`SQS on ${emulator.name}`, onSqs(emulator.start, copy));
}
