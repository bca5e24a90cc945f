// Emulators for tests: each call starts a private instance on a free port, so suites run in parallel.
// Starting is bounded: an emulator that is not ready in time is killed and the start fails, saying
// why. Every emulator still running is known (`runningEmulators`), so the test environment can stop
// what a file left behind (scripts/jest/environment.js) instead of the run hanging on it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import dynalite from 'dynalite';
import { buildApp } from 'fauxqs';
import { MissingToolError, TOOL_PATHS, TOOLS, requireTool, type ToolName } from './tools';
import { createZip } from '../lib/zip';

export { ensureTable } from '../lib/tables';

export interface Emulator {
  endpoint: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** The executable to run instead of the one the set-up step installs (tests of this module). */
  binary?: string;
  /** How long the emulator may take to answer before the start fails; default 20 s. */
  startTimeoutMs?: number;
}

export const TEST_REGION = 'us-east-1';
export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

const DEFAULT_START_TIMEOUT_MS = 20_000;

/** What is running, with where it was started from, so a leak can be named and stopped. */
export interface RunningEmulator {
  name: string;
  endpoint: string;
  startedAt: string;
  stop(): Promise<void>;
}

declare global {
  // Shared with the jest environment, which sees the test file's global object but not its modules.
  var __runningEmulators: Set<RunningEmulator> | undefined;
}

function registry(): Set<RunningEmulator> {
  globalThis.__runningEmulators ??= new Set();
  return globalThis.__runningEmulators;
}

/** Emulators started in this process (or test file) and not stopped yet. */
export function runningEmulators(): RunningEmulator[] {
  return [...registry()];
}

/** Registers a started emulator; its stop() becomes idempotent and unregisters it. */
function tracked(name: string, endpoint: string, stop: () => Promise<void>): Emulator {
  let stopping: Promise<void> | undefined;
  const entry: RunningEmulator = {
    name,
    endpoint,
    startedAt: (new Error().stack ?? '').split('\n').slice(3, 6).join('\n'),
    stop: () => {
      stopping ??= stop().finally(() => registry().delete(entry));
      return stopping;
    },
  };
  registry().add(entry);
  return { endpoint, stop: entry.stop };
}

/**
 * Starts several emulators at once, all or nothing: if one fails to start, those that did are
 * stopped before the error is thrown, so a failed beforeAll leaves nothing running.
 */
export async function startEmulators<T extends Record<string, () => Promise<{ stop(): Promise<void> }>>>(
  starters: T,
): Promise<{ [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  const names = Object.keys(starters);
  const results = await Promise.allSettled(names.map((name) => starters[name]!()));
  const failures = results.flatMap((r, i) => (r.status === 'rejected' ? [{ name: names[i]!, reason: r.reason as unknown }] : []));
  if (failures.length > 0) {
    await Promise.allSettled(results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.stop()] : [])));
    const first = failures[0]!.reason;
    if (failures.length === 1 && first instanceof Error) throw first;
    throw new AggregateError(
      failures.map((f) => f.reason),
      `could not start ${failures.map((f) => `${f.name} (${f.reason instanceof Error ? f.reason.message : String(f.reason)})`).join(', ')}`,
    );
  }
  return Object.fromEntries(names.map((name, i) => [name, (results[i] as PromiseFulfilledResult<unknown>).value])) as {
    [K in keyof T]: Awaited<ReturnType<T[K]>>;
  };
}

/** DynamoDB in-process (dynalite), in memory. */
export async function startDynalite(options: Pick<StartOptions, 'startTimeoutMs'> = {}): Promise<Emulator> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const timeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      server.close();
      reject(new Error(`dynalite did not listen within ${timeoutMs} ms`));
    }, timeoutMs);
    server.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`dynalite could not listen: ${error.message}`, { cause: error }));
    });
    server.listen(0, '127.0.0.1', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') {
    server.close();
    throw new Error('dynalite did not bind a TCP port');
  }
  return tracked('dynalite', `http://127.0.0.1:${address.port}`, () => new Promise<void>((resolve) => server.close(() => resolve())));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export const motoServerBinary = TOOL_PATHS.moto;
const MOTO_SERVER_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'moto-server.py');
export const stripeMockBinary = TOOL_PATHS['stripe-mock'];

/**
 * Runs an emulator's executable and waits until `readyPath` answers. Fails fast when the executable
 * is missing, cannot be spawned or exits, and after `startTimeoutMs` otherwise; the process is
 * killed (and waited for) on every failure, so nothing outlives a failed start.
 */
async function startProcess(name: ToolName, binary: string, args: (port: number) => string[], readyPath: string, timeoutMs: number): Promise<Emulator> {
  if (!existsSync(binary)) throw new MissingToolError(name, `not found at ${binary}`, TOOLS[name].hint);
  const port = await freePort();
  const child = spawn(binary, args(port), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(`${endpoint}${readyPath}`, child, timeoutMs);
  } catch (error) {
    await stopChild(child);
    const output = stderr.trim() ? `\n${stderr.trim()}` : '';
    throw new Error(`${name} (${binary}) did not start: ${error instanceof Error ? error.message : String(error)}${output}`, { cause: error });
  }
  return tracked(name, endpoint, () => stopChild(child));
}

async function waitUntilReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  while (Date.now() < deadline) {
    if (spawnError) throw new Error(`could not be run: ${spawnError.message}`);
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited with ${child.exitCode ?? child.signalCode} before answering`);
    try {
      // Each probe is bounded too: a port that accepts but never answers must not stall the start.
      const response = await fetch(url, { signal: AbortSignal.timeout(Math.max(100, Math.min(2000, deadline - Date.now()))) });
      await response.body?.cancel();
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not ready after ${timeoutMs} ms (${url})`);
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * moto's server, a second, independent implementation of the AWS APIs. Installed by `npm test`'s
 * set-up step; its absence is an error, never a reason to skip.
 */
export async function startMoto(options: StartOptions = {}): Promise<Emulator> {
  const binary = options.binary ?? requireTool('moto');
  // Started through moto-server.py, which makes each DynamoDB write atomic as DynamoDB's are: moto's
  // threaded server lets two concurrent conditional writes on one key both pass their condition.
  const python = join(dirname(binary), 'python');
  if (!existsSync(python)) throw new MissingToolError('moto', `no python beside ${binary}`, TOOLS.moto.hint);
  return startProcess('moto', python, (port) => [MOTO_SERVER_SCRIPT, '-H', '127.0.0.1', '-p', String(port)], '/moto-api/', options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
}

/**
 * A function on moto's Lambda with that environment, as a deploy leaves it for the operator tools
 * that read its configuration; its code is never run.
 */
export async function deployMotoFunction(endpoint: string, functionName: string, environment: Record<string, string>): Promise<void> {
  const client = new LambdaClient({ endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });
  try {
    await client.send(new CreateFunctionCommand({
      FunctionName: functionName,
      Runtime: 'nodejs22.x',
      Role: await createMotoRole(endpoint, functionName.slice(0, 64)),
      Handler: 'index.handler',
      Code: { ZipFile: createZip([{ name: 'index.mjs', data: Buffer.from('export const handler = async () => ({});\n') }]) },
      Environment: { Variables: environment },
    }));
  } finally {
    client.destroy();
  }
}

/**
 * An IAM role on a moto instance, which moto's Lambda requires before it creates a function. The
 * project has no IAM client, and moto routes a request by the service named in its signature's
 * scope without checking the signature, so a form post is enough.
 */
async function createMotoRole(endpoint: string, roleName: string): Promise<string> {
  const body = new URLSearchParams({
    Action: 'CreateRole',
    Version: '2010-05-08',
    RoleName: roleName,
    AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
  });
  const response = await fetch(endpoint, {
    method: 'POST',
    body,
    headers: { authorization: `AWS4-HMAC-SHA256 Credential=${TEST_CREDENTIALS.accessKeyId}/20260101/${TEST_REGION}/iam/aws4_request, SignedHeaders=host, Signature=0` },
  });
  const text = await response.text();
  const arn = /<Arn>([^<]+)<\/Arn>/.exec(text)?.[1];
  if (!response.ok || !arn) throw new Error(`moto did not create the IAM role ${roleName}: HTTP ${response.status}`);
  return arn;
}

export function dynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });
}

/**
 * Stripe's official stripe-mock: validates every request against Stripe's OpenAPI spec and answers
 * with fixtures (stateless). Installed by `npm test`'s set-up step; its absence is an error.
 */
export async function startStripeMock(options: StartOptions = {}): Promise<Emulator> {
  const binary = options.binary ?? requireTool('stripe-mock');
  // stripe-mock also serves HTTPS, on 12112 unless told otherwise: a second instance would then fail
  // to start, so the HTTPS side gets a port of the system's choosing.
  return startProcess(
    'stripe-mock',
    binary,
    (port) => ['-http-addr', `127.0.0.1:${port}`, '-https-addr', '127.0.0.1:'],
    '/v1/customers',
    options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
  );
}

export function sqsClient(endpoint: string): SQSClient {
  return new SQSClient({ endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });
}

/** fauxqs in-process, the local stack's SQS and SNS (no move tasks), on the loopback address. */
export async function startFauxqs(): Promise<Emulator> {
  const app = buildApp({ logger: false, host: 'localhost' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  return tracked('fauxqs', `http://127.0.0.1:${port}`, () => app.close());
}

/**
 * ElasticMQ (SQS with StartMessageMoveTask), on the machine's Java. Installed by `npm test`'s
 * set-up step; its absence is an error, never a reason to skip. In memory, loopback only.
 */
export async function startElasticMq(options: StartOptions = {}): Promise<Emulator> {
  const binary = options.binary ?? requireTool('elasticmq');
  const dir = mkdtempSync(join(tmpdir(), 'elasticmq-'));
  const config = join(dir, 'elasticmq.conf');
  const emulator = await startProcess(
    'elasticmq',
    binary,
    (port) => {
      writeFileSync(
        config,
        [
          'include classpath("application.conf")',
          `node-address { protocol = http, host = 127.0.0.1, port = ${port}, context-path = "" }`,
          `rest-sqs { enabled = true, bind-port = ${port}, bind-hostname = "127.0.0.1", sqs-limits = strict }`,
          'rest-stats { enabled = false }',
          '',
        ].join('\n'),
      );
      return [`-Dconfig.file=${config}`];
    },
    '/?Action=ListQueues',
    options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
  ).catch((error: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  return {
    endpoint: emulator.endpoint,
    stop: async () => {
      await emulator.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
