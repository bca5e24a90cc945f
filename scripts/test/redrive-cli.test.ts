// `npm run redrive` as an operator runs it, against a deployed-style stack: queues named
// '{PROJECT_NAME}-{ENVIRONMENT}-<name>' on ElasticMQ, which has SQS's move tasks, reached through
// the SDK's own endpoint variable as the AWS CLI would be.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { SqsQueueDepthReader } from '../../services/stripe-service/src/adapters/sqs/sqs-queue-depth-reader';
import { drainQueue, putMessage } from '../../services/stripe-service/test/support/sqs-queues';
import { loadResources, physicalName, repoRoot } from '../lib/resources';
import { sqsClient, startElasticMq, TEST_CREDENTIALS, type Emulator } from '../testing/emulators';

const run = promisify(execFile);
const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
const queue = loadResources().queues.find((q) => q.id === 'stripe_events')!;
const name = (n: string) => physicalName('ops-test', 'staging', n);

let emulator: Emulator;
let client: SQSClient;
let urls: { source: string; dlq: string };

const redrive = (args: string[]) =>
  run(tsx, [join(repoRoot, 'scripts', 'redrive.ts'), ...args], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PROJECT_NAME: 'ops-test',
      ENVIRONMENT: 'staging',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_SQS: emulator.endpoint,
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      NODE_OPTIONS: '',
    },
    timeout: 60_000,
  });

beforeAll(async () => {
  emulator = await startElasticMq();
  client = sqsClient(emulator.endpoint);
  const dlq = (await client.send(new CreateQueueCommand({ QueueName: name(queue.deadLetter.name) }))).QueueUrl!;
  const dlqArn = (await client.send(new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const source = (
    await client.send(
      new CreateQueueCommand({ QueueName: name(queue.name), Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: queue.deadLetter.maxReceiveCount }) } }),
    )
  ).QueueUrl!;
  urls = { source, dlq };
}, 60_000);

afterAll(async () => {
  client?.destroy();
  await emulator?.stop();
});

const depth = (url: string) => new SqsQueueDepthReader(client).depth(url);

describe('npm run redrive against a deployed-style stack', () => {
  it('only counts without --apply, then moves every dead letter with SQS\'s move task', async () => {
    for (const i of [1, 2, 3]) await putMessage(client, urls.dlq, { body: `{"eventId":"evt_cli_${i}"}`, attributes: { eventId: `evt_cli_${i}` } });

    const dry = await redrive(['events']);
    expect(dry.stdout).toContain(`stripe_events on AWS stack ops-test-staging in us-east-1 (dry run)`);
    expect(dry.stdout).toMatch(new RegExp(`dead-letter queue\\s+${name(queue.deadLetter.name)}: 3 waiting`));
    expect(dry.stdout).toContain('would move 3 message(s) with move_task');
    expect(await depth(urls.dlq)).toMatchObject({ visible: 3 });

    const applied = await redrive(['stripe_events', '--apply']);
    expect(applied.stdout).toContain('completed: moved 3, failed 0 (move_task)');
    expect(await depth(urls.dlq)).toMatchObject({ visible: 0 });
    expect((await drainQueue(client, urls.source, 3)).map((m) => m.attributes.eventId).sort()).toEqual(['evt_cli_1', 'evt_cli_2', 'evt_cli_3']);
  }, 60_000);

  it('with --max moves that many, one batch at a time', async () => {
    for (const i of [1, 2, 3]) await putMessage(client, urls.dlq, { body: `{"eventId":"evt_max_${i}"}`, attributes: {} });
    const applied = await redrive(['events', '--apply', '--max', '2']);
    expect(applied.stdout).toContain('completed: moved 2, failed 0 (receive_send_delete)');
    expect(await drainQueue(client, urls.source, 2)).toHaveLength(2);
    expect(await drainQueue(client, urls.dlq, 1)).toHaveLength(1);
  }, 60_000);

  it('refuses an unknown queue, and a move task asked to keep a limit', async () => {
    await expect(redrive(['payments'])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('no queue payments; queues: stripe_events, notifications') });
    await expect(redrive(['events', '--apply', '--method', 'move_task', '--max', '1'])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('moves every message') });
    await expect(redrive([])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('Usage: npm run redrive') });
  }, 60_000);
});
