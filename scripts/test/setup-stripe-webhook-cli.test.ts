// `npm run setup-stripe-webhook` as an operator runs it against a deployed-style stage: the Stripe
// key and the signing secret in Secrets Manager on moto (reached through the SDK's endpoint
// variable), the Stripe simulator standing in for Stripe's webhook endpoints API.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateSecretCommand, GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import Stripe from 'stripe';
import { HANDLED_STRIPE_EVENT_TYPES } from '../../services/stripe-service/src/adapters/stripe/handled-stripe-event-types';
import { physicalName, repoRoot } from '../lib/resources';
import { startStripeSimulator, type StripeSimulator } from '../stripe-simulator/index';
import { deployMotoFunction, startMoto, TEST_CREDENTIALS, TEST_REGION, type Emulator } from '../testing/emulators';

const run = promisify(execFile);
const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
const API_KEY = 'sk_test_setupwebhookcli';
const URL_ = 'https://api.example.test/stripe/webhook';
const name = (stage: string, n: string) => physicalName('ops-test', stage, n);
const SECRET_LIKE = /whsec_[A-Za-z0-9]{4,}|sk_test_[A-Za-z0-9]{4,}/;

let moto: Emulator;
let simulator: StripeSimulator;
let secrets: SecretsManagerClient;
let stripe: Stripe;
let workDir: string;

type Result = { stdout: string; stderr: string };
const setup = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> =>
  run(tsx, [join(repoRoot, 'scripts', 'setup-stripe-webhook.ts'), ...args], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PROJECT_NAME: 'ops-test',
      AWS_REGION: TEST_REGION,
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      STRIPE_API_URL: simulator.url,
      NODE_OPTIONS: '',
      ...env,
    },
    timeout: 60_000,
  });

/** Every output line of a run, checked for anything that looks like a key or a signing secret. */
function printedNoSecret(result: Result): Result {
  expect(`${result.stdout}\n${result.stderr}`).not.toMatch(SECRET_LIKE);
  return result;
}

const storedSecret = async (stage: string) => {
  const value = await secrets.send(new GetSecretValueCommand({ SecretId: name(stage, 'stripe-webhook-secret') }));
  return { value: value.SecretString, versionId: value.VersionId };
};
const endpointsFor = async (url: string) => (await stripe.webhookEndpoints.list({ limit: 100 })).data.filter((e) => e.url === url).sort((a, b) => a.created - b.created || a.id.localeCompare(b.id));
const secretOf = (id: string) => simulator.webhooks.endpoints().find((e) => e.id === id)?.secret;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'setup-webhook-'));
  [moto, simulator] = await Promise.all([startMoto(), startStripeSimulator({ port: 0, apiKey: API_KEY })]);
  secrets = new SecretsManagerClient({ endpoint: moto.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });
  // The console's key/value form for the key, which the service unwraps; a placeholder for the
  // signing secret, as created before the first deploy.
  for (const stage of ['staging', 'tf']) {
    await secrets.send(new CreateSecretCommand({ Name: name(stage, 'stripe-secret-key'), SecretString: JSON.stringify({ key: API_KEY }) }));
    await secrets.send(new CreateSecretCommand({ Name: name(stage, 'stripe-webhook-secret'), SecretString: 'unset' }));
  }
  await secrets.send(new CreateSecretCommand({ Name: name('badkey', 'stripe-secret-key'), SecretString: 'sk_test_notthesimulatorskey' }));
  // Staging's webhook function is deployed with a secret cache time longer than the default; tf's is not deployed.
  await deployMotoFunction(moto.endpoint, name('staging', 'webhook'), { PROJECT_NAME: 'ops-test', ENVIRONMENT: 'staging', SECRET_CACHE_TTL_SECONDS: '900' });
  const url = new URL(simulator.url);
  stripe = new Stripe(API_KEY, { host: url.hostname, port: url.port, protocol: 'http', telemetry: false });
}, 60_000);

afterAll(async () => {
  secrets?.destroy();
  await Promise.all([moto?.stop(), simulator?.stop()]);
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('npm run setup-stripe-webhook against a deployed-style stage', () => {
  it('dry by default: says it would create the endpoint and store its secret, and changes nothing', async () => {
    const before = await storedSecret('staging');
    const { stdout } = printedNoSecret(await setup(['--stage', 'staging', '--url', URL_]));
    expect(stdout).toContain(`webhook endpoint of ops-test-staging (${URL_}) on Stripe test mode at ${simulator.url} (dry run):`);
    expect(stdout).toContain(`would: create the webhook endpoint for ${URL_} (${HANDLED_STRIPE_EVENT_TYPES.length} event types, API version ${Stripe.API_VERSION})`);
    expect(stdout).toContain(`would: store its signing secret in ${name('staging', 'stripe-webhook-secret')}`);
    expect(stdout).toContain('dry run: nothing changed; run again with --apply');
    expect(await endpointsFor(URL_)).toEqual([]);
    expect(await storedSecret('staging')).toEqual(before);
  }, 90_000);

  it('creates the endpoint with exactly the handled events and the SDK\'s API version, and stores the secret Stripe returned', async () => {
    const { stdout } = printedNoSecret(await setup(['--stage', 'staging', '--url', URL_, '--apply']));
    expect(stdout).toContain('changed: create the webhook endpoint');
    const [endpoint, ...others] = await endpointsFor(URL_);
    expect(others).toEqual([]);
    expect(stdout).toContain(`done: ${endpoint!.id} delivers ${HANDLED_STRIPE_EVENT_TYPES.length} event types`);
    expect([...endpoint!.enabled_events].sort()).toEqual([...HANDLED_STRIPE_EVENT_TYPES].sort());
    expect(endpoint).toMatchObject({ api_version: Stripe.API_VERSION, status: 'enabled', description: 'ops-test staging: Stripe events for the payments service', metadata: { project: 'ops-test', stage: 'staging' } });
    expect((await storedSecret('staging')).value).toBe(secretOf(endpoint!.id));
  }, 90_000);

  it('a second run finds everything as wanted and changes nothing', async () => {
    const before = { endpoints: await endpointsFor(URL_), secret: await storedSecret('staging') };
    const { stdout } = printedNoSecret(await setup(['--stage', 'staging', '--url', URL_, '--apply']));
    expect(stdout).toContain(`up to date: nothing changed (${before.endpoints[0]!.id})`);
    expect(stdout).not.toContain('changed:');
    expect(await endpointsFor(URL_)).toEqual(before.endpoints);
    expect(await storedSecret('staging')).toEqual(before.secret);
  }, 90_000);

  it('puts drifted events, description and status back on the same endpoint, keeping its secret; dry first', async () => {
    const [endpoint] = await endpointsFor(URL_);
    const secretBefore = await storedSecret('staging');
    await stripe.webhookEndpoints.update(endpoint!.id, { enabled_events: ['charge.succeeded', 'invoice.paid'], description: 'edited in the Dashboard', disabled: true });

    const dry = printedNoSecret(await setup(['--stage', 'staging', '--url', URL_]));
    expect(dry.stdout).toContain(`would: events of ${endpoint!.id}: add payment_intent.created`);
    expect(dry.stdout).toContain('remove charge.succeeded');
    expect(dry.stdout).toContain(`would: enable ${endpoint!.id} (it was disabled)`);
    expect((await stripe.webhookEndpoints.retrieve(endpoint!.id)).enabled_events).toEqual(['charge.succeeded', 'invoice.paid']);

    const applied = printedNoSecret(await setup(['--stage', 'staging', '--url', URL_, '--apply']));
    expect(applied.stdout).toContain(`changed: description of ${endpoint!.id}`);
    const after = await endpointsFor(URL_);
    expect(after.map((e) => e.id)).toEqual([endpoint!.id]);
    expect([...after[0]!.enabled_events].sort()).toEqual([...HANDLED_STRIPE_EVENT_TYPES].sort());
    expect(after[0]).toMatchObject({ status: 'enabled', description: 'ops-test staging: Stripe events for the payments service' });
    expect(await storedSecret('staging')).toEqual(secretBefore);
  }, 90_000);

  it('rolls the secret: a disabled endpoint beside the old one and new,old stored, then the switch once the cache time has passed', async () => {
    const [old] = await endpointsFor(URL_);
    const oldSecret = (await storedSecret('staging')).value;

    const rolled = printedNoSecret(await setup(['--stage', 'staging', '--url', URL_, '--roll', '--apply']));
    expect(rolled.stdout).toContain(`(SECRET_CACHE_TTL_SECONDS, 900 s as ${name('staging', 'webhook')} is deployed, from now every function accepts both secrets) run again with --finish-roll --apply`);
    const both = await endpointsFor(URL_);
    expect(both.map((e) => e.id)[0]).toBe(old!.id);
    expect(both).toHaveLength(2);
    const fresh = both[1]!;
    expect(fresh).toMatchObject({ status: 'disabled', api_version: Stripe.API_VERSION, metadata: { rolled_from: old!.id, project: 'ops-test', stage: 'staging' } });
    expect((await stripe.webhookEndpoints.retrieve(old!.id)).status).toBe('enabled');
    expect((await storedSecret('staging')).value).toBe(`${secretOf(fresh.id)},${oldSecret}`);

    // While it rolls, a deploy's plain run succeeds and changes nothing here, and a second roll is refused.
    const during = printedNoSecret(await setup(['--stage', 'staging', '--url', URL_, '--apply']));
    expect(during.stdout).toContain(`note: a secret roll is in progress (${old!.id} → ${fresh.id}, which stays disabled)`);
    expect(during.stdout).toContain('up to date: nothing changed');
    expect(await endpointsFor(URL_)).toEqual(both);
    await expect(setup(['--stage', 'staging', '--url', URL_, '--roll', '--apply'])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('finish it with --finish-roll first') });
    // Functions may still hold the secret without the new one for up to the cache time they are deployed with.
    await expect(setup(['--stage', 'staging', '--url', URL_, '--finish-roll', '--apply'])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining(`(900 s, as ${name('staging', 'webhook')} is deployed) ago; functions may still hold the old value: run --finish-roll again after`) });
    expect(await endpointsFor(URL_)).toHaveLength(2);

    const finished = printedNoSecret(await setup(['--stage', 'staging', '--url', URL_, '--finish-roll', '--apply', '--secret-ttl', '0']));
    expect(finished.stdout).toContain(`changed: delete ${old!.id}`);
    const left = await endpointsFor(URL_);
    expect(left.map((e) => [e.id, e.status])).toEqual([[fresh.id, 'enabled']]);
    expect((await storedSecret('staging')).value).toBe(secretOf(fresh.id));

    const again = printedNoSecret(await setup(['--stage', 'staging', '--url', URL_, '--finish-roll', '--apply', '--secret-ttl', '0']));
    expect(again.stdout).toContain('no roll in progress: nothing to finish');
  }, 180_000);

  it('an endpoint whose secret was lost is refused with the way out, and --roll recovers it', async () => {
    await secrets.send(new PutSecretValueCommand({ SecretId: name('staging', 'stripe-webhook-secret'), SecretString: 'unset' }));
    const [endpoint] = await endpointsFor(URL_);
    await expect(setup(['--stage', 'staging', '--url', URL_, '--apply'])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`webhook endpoint ${endpoint!.id} exists but ${name('staging', 'stripe-webhook-secret')} holds no signing secret`),
    });
    printedNoSecret(await setup(['--stage', 'staging', '--url', URL_, '--roll', '--apply']));
    const fresh = (await endpointsFor(URL_))[1]!;
    expect((await storedSecret('staging')).value).toBe(secretOf(fresh.id));
  }, 120_000);

  it('reads the URL from the stage\'s Terraform output when --url is not given', async () => {
    const dir = join(workDir, 'tf-stage');
    const tfUrl = 'https://abc123.execute-api.eu-west-1.amazonaws.com/stripe/webhook';
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'terraform.tfstate'),
      JSON.stringify({ version: 4, terraform_version: '1.11.4', serial: 1, lineage: 'setup-webhook-test', outputs: { stack: { value: { webhook_url: tfUrl, api_endpoint: 'https://abc123.execute-api.eu-west-1.amazonaws.com' }, type: ['object', { webhook_url: 'string', api_endpoint: 'string' }] } }, resources: [], check_results: null }),
    );
    const { stdout } = printedNoSecret(await setup(['--stage', 'tf', '--terraform-dir', dir, '--apply']));
    expect(stdout).toContain(`webhook endpoint of ops-test-tf (${tfUrl})`);
    expect((await endpointsFor(tfUrl)).map((e) => e.metadata)).toEqual([{ project: 'ops-test', stage: 'tf' }]);
  }, 120_000);

  it('fails with a clear message, never a secret: no Stripe key, a key Stripe refuses, no URL, a plain-http URL, bad arguments', async () => {
    await expect(setup(['--stage', 'qa', '--url', URL_])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`the Stripe key secret ${name('qa', 'stripe-secret-key')} does not exist in ${TEST_REGION}`),
    });
    const refused = await setup(['--stage', 'badkey', '--url', URL_]).catch((error: Result & { code: number }) => error);
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining(`Stripe refused the key in ${name('badkey', 'stripe-secret-key')}`) });
    printedNoSecret(refused);
    expect(refused.stderr).not.toContain('notthesimulatorskey');
    await expect(setup(['--stage', 'staging', '--terraform-dir', join(workDir, 'nothing-here')])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('or pass --url') });
    await expect(setup(['--stage', 'staging', '--url', 'http://api.example.test/stripe/webhook'])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('must be https') });
    await expect(setup(['--url', URL_])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--stage is required') });
    await expect(setup(['--stage', 'staging', '--url', URL_, '--secret-ttl', '5m'])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--secret-ttl is a whole number of seconds') });
    // tf's webhook function is not deployed: the time a roll must wait is unknown, and never guessed.
    await expect(setup(['--stage', 'tf', '--url', 'https://abc123.execute-api.eu-west-1.amazonaws.com/stripe/webhook', '--roll'])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`${name('tf', 'webhook')}, which reads ${name('tf', 'stripe-webhook-secret')}, is not deployed`),
    });
    await expect(setup(['--stage', 'staging', '--roll', '--finish-roll'])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('two steps') });
    await expect(setup(['--stage', 'staging', '--url', URL_], { PROJECT_NAME: '' })).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('--project or PROJECT_NAME') });
  }, 120_000);
});
