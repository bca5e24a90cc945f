import { DeleteQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { SqsCopyRedriver } from '../../src/adapters/sqs/sqs-copy-redriver';
import { SqsQueueDepthReader } from '../../src/adapters/sqs/sqs-queue-depth-reader';
import { locateRedrivePair } from '../../src/adapters/sqs/sqs-redrive-pair';
import { sqsClient, startFauxqs, startMoto, type Emulator } from '../../../../scripts/testing/emulators';
import { createPair, drainQueue, putMessage } from '../support/sqs-queues';

describe.each([
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
