import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs } from 'fauxqs';
import { DynamoStripeEventStore } from '../../src/adapters/dynamodb/dynamo-stripe-event-store';
import { SqsStripeEventQueue } from '../../src/adapters/sqs/sqs-stripe-event-queue';
import type { StripeEventMessage } from '../../src/application/ports/stripe-event-queue';
import { startMoto, TEST_CREDENTIALS, TEST_REGION, type Emulator } from '../../../../scripts/testing/emulators';
import { InMemoryStripeEventQueue } from '../fakes/in-memory-stripe-event-queue';
import { InMemoryStripeEventStore } from '../fakes/in-memory-stripe-event-store';
import { DYNAMO_EMULATORS, withTable } from './dynamo-backends';
import { stripeEventQueueContract, type QueueUnderTest } from './stripe-event-queue.contract';
import { stripeEventStoreContract } from './stripe-event-store.contract';

stripeEventStoreContract('in-memory', async () => {
  const store = new InMemoryStripeEventStore();
  return { subject: store, writeEnqueuedRecord: async (record) => store.writeEnqueuedRecord(record), teardown: async () => {} };
});
const EVENTS_TABLE = 'contract-webhook-idempotency';
for (const emulator of DYNAMO_EMULATORS) {
  stripeEventStoreContract(`DynamoDB on ${emulator.name}`, async () => {
    const started = await withTable(emulator.start, 'webhook_idempotency', EVENTS_TABLE, (client) => ({ client, store: new DynamoStripeEventStore(client, EVENTS_TABLE) }))();
    return {
      subject: started.subject.store,
      // The item an older deploy's enqueued mark left: its receipt with the status set and the lease removed.
      writeEnqueuedRecord: async (record) => {
        await started.subject.client.send(
          new PutItemCommand({
            TableName: EVENTS_TABLE,
            Item: { eventId: { S: record.eventId }, type: { S: record.type }, status: { S: 'enqueued' }, receivedAt: { N: String(record.receivedAt) }, ttl: { N: String(record.ttl) } },
          }),
        );
      },
      teardown: started.teardown,
    };
  });
}

stripeEventQueueContract('in-memory', async () => {
  const queue = new InMemoryStripeEventQueue();
  return {
    subject: queue,
    receive: async (count) => {
      expect(queue.messages).toHaveLength(count);
      return queue.messages.splice(0, count);
    },
    teardown: async () => {},
  };
});

async function fauxqs(): Promise<Emulator> {
  const server = await startFauxqs({ port: 0, logger: false });
  return { endpoint: server.address, stop: () => server.stop() };
}

const SQS_EMULATORS: { name: string; start: () => Promise<Emulator> }[] = [
  { name: 'fauxqs', start: fauxqs },
  { name: 'moto', start: startMoto },
];

for (const emulator of SQS_EMULATORS) {
  stripeEventQueueContract(`SQS on ${emulator.name}`, async (): Promise<QueueUnderTest> => {
    const started = await emulator.start();
    const client = new SQSClient({ region: TEST_REGION, endpoint: started.endpoint, credentials: TEST_CREDENTIALS });
    const stop = async () => {
      client.destroy();
      await started.stop();
    };
    try {
      const queueUrl = (await client.send(new CreateQueueCommand({ QueueName: 'contract-stripe-events' }))).QueueUrl!;
      return {
        subject: new SqsStripeEventQueue(client, queueUrl),
        receive: async (count) => {
          const received: StripeEventMessage[] = [];
          const deadline = Date.now() + 10_000;
          while (received.length < count && Date.now() < deadline) {
            const { Messages = [] } = await client.send(
              new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }),
            );
            for (const m of Messages) {
              const body = JSON.parse(m.Body ?? '{}') as StripeEventMessage;
              expect(m.MessageAttributes?.eventType?.StringValue).toBe(body.type);
              received.push(body);
            }
            if (Messages.length > 0) {
              await client.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
            }
          }
          expect(received).toHaveLength(count);
          return received;
        },
        teardown: stop,
      };
    } catch (error) {
      await stop();
      throw error;
    }
  });
}
