// Emulators for tests: each call starts a private instance on a free port, so suites run in parallel.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { repoRoot } from '../lib/resources';

export { ensureTable } from '../lib/tables';

export interface Emulator {
  endpoint: string;
  stop(): Promise<void>;
}

export const TEST_REGION = 'us-east-1';
export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** DynamoDB in-process (dynalite), in memory. */
export async function startDynalite(): Promise<Emulator> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('dynalite did not bind a TCP port');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
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

export const motoServerBinary = join(repoRoot, '.tools', 'venv', 'bin', 'moto_server');

/**
 * moto's server, a second, independent implementation of the AWS APIs. Installed by
 * `npm test`'s set-up step; its absence is an error, never a reason to skip.
 */
export async function startMoto(): Promise<Emulator> {
  if (!existsSync(motoServerBinary)) {
    throw new Error(`moto_server not found at ${motoServerBinary}; run \`node scripts/ensure-tools.mjs test\``);
  }
  const port = await freePort();
  const child = spawn(motoServerBinary, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilReady(`${endpoint}/moto-api/`, child, () => stderr);
  return { endpoint, stop: () => stopChild(child) };
}

async function waitUntilReady(url: string, child: ChildProcess, output: () => string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`emulator exited with ${child.exitCode}: ${output()}`);
    try {
      const response = await fetch(url);
      await response.body?.cancel();
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`emulator at ${url} not ready after ${timeoutMs} ms: ${output()}`);
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export function dynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });
}

export const stripeMockBinary = join(repoRoot, '.tools', 'bin', 'stripe-mock');

/**
 * Stripe's official stripe-mock: validates every request against Stripe's OpenAPI spec and answers
 * with fixtures (stateless). Installed by `npm test`'s set-up step; its absence is an error.
 */
export async function startStripeMock(): Promise<Emulator> {
  if (!existsSync(stripeMockBinary)) {
    throw new Error(`stripe-mock not found at ${stripeMockBinary}; run \`node scripts/ensure-tools.mjs test\``);
  }
  const port = await freePort();
  // stripe-mock also serves HTTPS, on 12112 unless told otherwise: a second instance would then fail
  // to start, so the HTTPS side gets a port of the system's choosing.
  const child = spawn(stripeMockBinary, ['-http-addr', `127.0.0.1:${port}`, '-https-addr', '127.0.0.1:'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilReady(`${endpoint}/v1/customers`, child, () => stderr);
  return { endpoint, stop: () => stopChild(child) };
}
