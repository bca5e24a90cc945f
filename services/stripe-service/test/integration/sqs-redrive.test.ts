import { CreateQueueCommand, DeleteMessageCommand, DeleteQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { SqsCopyRedriver } from '../../src/adapters/sqs/sqs-copy-redriver';
import { SqsQueueDepthReader } from '../../src/adapters/sqs/sqs-queue-depth-reader';
import { locateRedrivePair } from '../../src/adapters/sqs/sqs-redrive-pair';
import { sqsClient, startElasticMq, startFauxqs, startMoto, type Emulator } from '../../../../scripts/testing/emulators';
import { createPair, drainQueue, putMessage } from '../support/sqs-queues';

describe.each([
  ['ElasticMQ', startElasticMq],
  ['fauxqs', startFauxqs],
  ['moto', startMoto],
])('SQS redrive on %s', (_name, start) => {
  let emulator: Emulator;
  let client: SQSClient;
  beforeAll(async () => {
    emulator = await start();
    client = sqsClient(emulator.endpoint);
  }, 60_000);
  afterAll(async () => {
    client?.destroy();
    await emulator?.stop();
  });

  it('finds a queue\'s dead-letter queue through its redrive policy', async () => {
    const pair = await createPair(client, 'locate');
    const name = pair.source.url.split('/').at(-1)!;
    expect(await locateRedrivePair(client, 'stripe_events', name)).toEqual({ ...pair, id: 'stripe_events' });
  });

  it('refuses a queue without a dead-letter queue', async () => {
    const pair = await createPair(client, 'nodlq');
    const dlqName = pair.deadLetter.url.split('/').at(-1)!;
    await expect(locateRedrivePair(client, 'x', dlqName)).rejects.toThrow(/no redrive policy/);
  });

  it('keeps a FIFO message\'s group when it moves it back, and the source does not drop it as a duplicate', async () => {
    const base = `fifo-${Date.now()}`;
    const dlqUrl = (await client.send(new CreateQueueCommand({ QueueName: `${base}-dlq.fifo`, Attributes: { FifoQueue: 'true' } }))).QueueUrl!;
    const dlqArn = (await client.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    const url = (
      await client.send(
        new CreateQueueCommand({ QueueName: `${base}.fifo`, Attributes: { FifoQueue: 'true', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }) } }),
      )
    ).QueueUrl!;
    const arn = (await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    // First sent to the source queue, and failed there: the copy must not be dropped as a duplicate of it.
    await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'ordered', MessageGroupId: 'user-1', MessageDeduplicationId: 'dedupe-1' }));
    const first = await client.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }));
    await client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first.Messages![0]!.ReceiptHandle! }));
    await client.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: 'ordered', MessageGroupId: 'user-1', MessageDeduplicationId: 'dedupe-1' }));
    const outcome = await new SqsCopyRedriver(client).redrive({ id: 'fifo', source: { url, arn }, deadLetter: { url: dlqUrl, arn: dlqArn } });
    expect(outcome).toMatchObject({ moved: 1, status: 'completed' });
    const { Messages = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['MessageGroupId'] }));
    expect(Messages.map((m) => [m.Body, m.Attributes?.MessageGroupId])).toEqual([['ordered', 'user-1']]);
  });

  // ElasticMQ holds to SQS's limit on a batch request; fauxqs and moto do not.
  it('moves large dead letters that fit SQS one by one but not ten to a batch', async () => {
    const pair = await createPair(client, 'large');
    const body = (i: number) => JSON.stringify({ eventId: `evt_large_${i}`, padding: 'x'.repeat(100 * 1024) });
    for (const i of [1, 2, 3, 4]) await putMessage(client, pair.deadLetter.url, { body: body(i), attributes: { eventId: `evt_large_${i}` } });
    expect(await new SqsCopyRedriver(client).redrive(pair)).toMatchObject({ moved: 4, failed: 0, status: 'completed' });
    expect((await drainQueue(client, pair.source.url, 4)).map((m) => m.body).sort()).toEqual([1, 2, 3, 4].map(body).sort());
  });

  it('keeps a dead letter whose send failed: it is back in the dead-letter queue once hidden long enough', async () => {
    const pair = await createPair(client, 'sendfail');
    await putMessage(client, pair.deadLetter.url, { body: '{"eventId":"evt_kept"}', attributes: { eventId: 'evt_kept' } });
    await client.send(new DeleteQueueCommand({ QueueUrl: pair.source.url }));
    const redriver = new SqsCopyRedriver(client, { visibilityTimeoutSeconds: 1, waitTimeSeconds: 1 });
    await expect(redriver.redrive(pair)).rejects.toThrow();
    // Never deleted: it reappears when its visibility timeout runs out.
    expect(await drainQueue(client, pair.deadLetter.url, 1, { waitMs: 15_000 })).toEqual([{ body: '{"eventId":"evt_kept"}', attributes: { eventId: 'evt_kept' } }]);
    expect(await new SqsQueueDepthReader(client).depth(pair.deadLetter.url)).toMatchObject({ visible: 0 });
  });
});
