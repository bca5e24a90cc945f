// `npm run replay` against a deployed-style stack: '{PROJECT_NAME}-{ENVIRONMENT}-<name>' resources
// on moto (DynamoDB, SQS, Secrets Manager, reached through the SDK's endpoint variable), the Stripe
// key read from Secrets Manager as in AWS, the Stripe simulator standing in for Stripe.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import Stripe from 'stripe';
import { DynamoStripeEventStore } from '../../services/stripe-service/src/adapters/dynamodb/dynamo-stripe-event-store';
import { drainQueue } from '../../services/stripe-service/test/support/sqs-queues';
import { loadResources, physicalName, repoRoot } from '../lib/resources';
import { startStripeSimulator, type StripeSimulator } from '../stripe-simulator/index';
import { dynamoClient, ensureTable, sqsClient, startMoto, TEST_CREDENTIALS, TEST_REGION, type Emulator } from '../testing/emulators';

const run = promisify(execFile);
const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
const resources = loadResources();
const name = (n: string) => physicalName('ops-test', 'staging', n);
const API_KEY = 'sk_test_replay_cli';

let moto: Emulator;
let simulator: StripeSimulator;
let sqs: SQSClient;
let dynamo: DynamoDBClient;
let queueUrl: string;
let dataDir: string;

const replay = (args: string[]) =>
  run(tsx, [join(repoRoot, 'scripts', 'replay.ts'), ...args], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PROJECT_NAME: 'ops-test',
      ENVIRONMENT: 'staging',
      AWS_REGION: TEST_REGION,
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      STRIPE_API_URL: simulator.url,
      LOCAL_STACK_DATA_DIR: dataDir,
      NODE_OPTIONS: '',
    },
    timeout: 60_000,
  });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'replay-cli-'));
  [moto, simulator] = await Promise.all([startMoto(), startStripeSimulator({ port: 0, apiKey: API_KEY })]);
  sqs = sqsClient(moto.endpoint);
  dynamo = dynamoClient(moto.endpoint);
  const secrets = new SecretsManagerClient({ endpoint: moto.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });
  // The console's key/value form, which the service unwraps.
  await secrets.send(new CreateSecretCommand({ Name: name('stripe-secret-key'), SecretString: JSON.stringify({ key: API_KEY }) }));
  secrets.destroy();
  await ensureTable(dynamo, resources.tables.find((t) => t.id === 'webhook_idempotency')!, name('stripe-webhook-idempotency'));
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: name('stripe-events') }))).QueueUrl!;
}, 60_000);

afterAll(async () => {
  sqs?.destroy();
  dynamo?.destroy();
  await Promise.all([moto?.stop(), simulator?.stop()]);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run replay against a deployed-style stack', () => {
  it('reads the Stripe key from Secrets Manager, feeds each event never seen once, and leaves no checkpoint', async () => {
    const url = new URL(simulator.url);
    const stripe = new Stripe(API_KEY, { host: url.hostname, port: url.port, protocol: 'http', telemetry: false });
    const customers = await Promise.all([1, 2, 3].map((i) => stripe.customers.create({ email: `cli-${i}@example.com` })));

    const { stdout } = await replay(['--since', '1h', '--type', 'customer.created', '--page-size', '2']);
    expect(stdout).toContain('replaying customer.created since');
    expect(stdout).toContain('on AWS stack ops-test-staging in us-east-1, at most 25 requests/s');
    expect(stdout).toContain('done: 3 seen, 3 fed, 0 already processed, 0 pending');

    const messages = await drainQueue(sqs, queueUrl, 3);
    const fed = messages.map((m) => JSON.parse(m.body) as { eventId: string; type: string; payload: { data: { object: { id: string } } } });
    expect(fed.map((m) => m.payload.data.object.id).sort()).toEqual(customers.map((c) => c.id).sort());
    expect(messages.map((m) => m.attributes.eventType)).toEqual(['customer.created', 'customer.created', 'customer.created']);
    const store = new DynamoStripeEventStore(dynamo, name('stripe-webhook-idempotency'));
    for (const m of fed) expect(await store.get(m.eventId)).toMatchObject({ status: 'received', type: 'customer.created' });

    expect(readdirSync(dataDir).filter((f) => f.startsWith('replay-'))).toEqual([]);

    // No worker here: the three are still received inside their lease, in flight, and not fed twice.
    const again = await replay(['--since', '1h', '--type', 'customer.created']);
    expect(again.stdout).toContain('done: 3 seen, 0 fed, 0 already processed, 0 pending (enqueued, not processed), 3 in flight (recorded moments ago)');
    expect(await drainQueue(sqs, queueUrl, 1)).toEqual([]);
  }, 90_000);

  it('refuses a time it cannot read and a stack it cannot name', async () => {
    await expect(replay(['--since', 'last tuesday'])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('is not a time') });
    await expect(
      run(tsx, [join(repoRoot, 'scripts', 'replay.ts'), '--since', '1h', '--target', 'aws'], { cwd: repoRoot, env: { ...process.env, PROJECT_NAME: '', ENVIRONMENT: '', NODE_OPTIONS: '' }, timeout: 60_000 }),
    ).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('missing: PROJECT_NAME, ENVIRONMENT') });
  }, 60_000);
});
