import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListQueuesCommand } from '@aws-sdk/client-sqs';
import { dynamoClient, runningEmulators, sqsClient, type Emulator, startDynalite, startElasticMq, startEmulators, startFauxqs, startMoto, startStripeMock } from '../emulators';
import { MissingToolError } from '../tools';

describe('test emulators', () => {
  it.each([
    ['dynalite', startDynalite],
    ['moto', startMoto],
  ])('%s starts on a free port, answers DynamoDB calls and stops', async (_name, start) => {
    const emulator = await start();
    const client = dynamoClient(emulator.endpoint);
    await expect(client.send(new ListTablesCommand({}))).resolves.toMatchObject({ TableNames: [] });
    client.destroy();
    await emulator.stop();
    await expect(fetch(emulator.endpoint)).rejects.toThrow();
  });

  it.each([
    ['ElasticMQ', startElasticMq],
    ['fauxqs', startFauxqs],
  ])('%s starts on a free port, answers SQS calls and stops', async (_name, start) => {
    const emulator = await start();
    const client = sqsClient(emulator.endpoint);
    await expect(client.send(new ListQueuesCommand({}))).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
    client.destroy();
    await emulator.stop();
    await expect(fetch(emulator.endpoint)).rejects.toThrow();
    expect(runningEmulators()).toEqual([]);
  });

  it('stripe-mock starts and validates requests against Stripe\'s spec', async () => {
    const mock = await startStripeMock();
    try {
      const ok = await fetch(`${mock.endpoint}/v1/customers`, { headers: { authorization: 'Bearer sk_test_123' } });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ object: 'list' });
      const bad = await fetch(`${mock.endpoint}/v1/customers`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk_test_123', 'content-type': 'application/x-www-form-urlencoded' },
        body: 'not_a_customer_param=1',
      });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
    } finally {
      await mock.stop();
    }
  });

  it('runs several stripe-mocks at once, as parallel test files do', async () => {
    const mocks = await Promise.all([startStripeMock(), startStripeMock()]);
    try {
      for (const mock of mocks) {
        const response = await fetch(`${mock.endpoint}/v1/customers`, { headers: { authorization: 'Bearer sk_test_123' } });
        expect(response.status).toBe(200);
      }
    } finally {
      await Promise.all(mocks.map((m) => m.stop()));
    }
  });
});

describe('a failed start', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'emulator-start-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** An executable shell script standing in for an emulator. */
  function fakeEmulator(name: string, body: string): string {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  }

  function alive(pid: number): boolean {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  it('is a MissingToolError at once when the executable is not there', async () => {
    const started = Date.now();
    const error = await startStripeMock({ binary: join(dir, 'no-such-stripe-mock') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingToolError);
    expect((error as Error).message).toContain('no-such-stripe-mock');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(runningEmulators()).toEqual([]);
  });

  it('is a MissingToolError for a moto_server with no python of its virtualenv beside it', async () => {
    const lone = join(mkdtempSync(join(dir, 'lone-')), 'moto_server');
    writeFileSync(lone, '#!/bin/sh\nexit 0\n');
    chmodSync(lone, 0o755);
    const error = await startMoto({ binary: lone }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingToolError);
    expect((error as Error).message).toContain(`no python beside ${lone}`);
    expect(runningEmulators()).toEqual([]);
  });

  it('is a MissingToolError for an ElasticMQ launcher that is not there', async () => {
    const error = await startElasticMq({ binary: join(dir, 'no-such-elasticmq') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingToolError);
    expect((error as Error).message).toContain('no-such-elasticmq');
    expect(runningEmulators()).toEqual([]);
  });

  it('fails as soon as the emulator exits, with its exit code and what it printed', async () => {
    // moto is run by the python of moto_server's virtualenv (scripts/testing/moto-server.py), so the crash is that python's.
    fakeEmulator('python', 'echo "listen tcp: address already in use" >&2; exit 3');
    const error = await startMoto({ binary: join(dir, 'moto_server') }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/moto .* did not start: exited with 3 before answering\n.*address already in use/s);
    expect(runningEmulators()).toEqual([]);
  });

  it('kills an emulator that never answers once the start timeout has passed', async () => {
    const pidFile = join(dir, 'silent.pid');
    const silent = fakeEmulator('silent', `echo $$ > ${pidFile}; exec sleep 60`);
    const error = await startStripeMock({ binary: silent, startTimeoutMs: 300 }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/stripe-mock .* did not start: not ready after 300 ms/);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid)).toBe(false);
    expect(runningEmulators()).toEqual([]);
  });

  it('started together with startEmulators, stops the ones that did start and rethrows', async () => {
    let dynamo: Emulator | undefined;
    const error = await startEmulators({
      dynamo: async () => (dynamo = await startDynalite()),
      stripe: () => startStripeMock({ binary: fakeEmulator('exits', 'exit 1') }),
    }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/stripe-mock .* did not start: exited with 1/);
    // The dynalite that did start was stopped, not left listening.
    expect(dynamo).toBeDefined();
    await expect(fetch(dynamo!.endpoint)).rejects.toThrow();
    expect(runningEmulators()).toEqual([]);
  });

  it('leaves a started emulator registered until it is stopped, and stopping twice is harmless', async () => {
    const dynamo = await startDynalite();
    expect(runningEmulators().map((e) => [e.name, e.endpoint])).toEqual([['dynalite', dynamo.endpoint]]);
    await Promise.all([dynamo.stop(), dynamo.stop()]);
    await dynamo.stop();
    expect(runningEmulators()).toEqual([]);
    await expect(fetch(dynamo.endpoint)).rejects.toThrow();
  });
});
