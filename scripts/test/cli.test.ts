// The developer commands as a user runs them: separate processes, state in a data directory.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { jwtVerify } from 'jose';
import { loadResources, repoRoot } from '../lib/resources';

const run = promisify(execFile);
const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
let dataDir: string;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'cli-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const cli = (script: string, args: string[]) =>
  run(tsx, [join(repoRoot, 'scripts', script), ...args], {
    cwd: repoRoot,
    env: { ...process.env, LOCAL_STACK_DATA_DIR: dataDir, POWERTOOLS_LOG_LEVEL: 'SILENT', NODE_OPTIONS: '' },
    timeout: 60_000,
  });

const lastLine = (stdout: string) => stdout.trim().split('\n').at(-1) ?? '';

describe('npm run token', () => {
  it('prints only a token signed with the local secret, carrying the claims asked for', async () => {
    const { stdout } = await cli('token.ts', ['--sub', 'u1', '--email', 'u1@example.com', '--role', 'admin', '--ttl', '120']);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const secrets = JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')) as Record<string, string>;
    const secret = new TextEncoder().encode(secrets['stripe-payments-local-jwt-access-token-secret']);
    const { payload, protectedHeader } = await jwtVerify(stdout.trim(), secret, { algorithms: ['HS256'] });
    expect(protectedHeader.alg).toBe('HS256');
    expect(payload).toMatchObject({ sub: 'u1', email: 'u1@example.com', role: 'admin' });
    expect(payload.exp! - payload.iat!).toBe(120);
  }, 60_000);

  it('refuses to run without a subject', async () => {
    await expect(cli('token.ts', ['--email', 'u1@example.com'])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('Usage') });
  }, 60_000);
});

describe('npm run invoke', () => {
  it('runs a function once on a sample event and prints its result', async () => {
    const { stdout } = await cli('invoke.ts', ['health', 'events/health.json']);
    const result = JSON.parse(lastLine(stdout)) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ status: 'ok' });
  }, 60_000);

  it('fills in a token for the claims given, and keeps state between invocations', async () => {
    const invokeCustomer = async () => {
      const { stdout } = await cli('invoke.ts', ['customer', 'events/customer-post.json', '--sub', 'cli-user', '--email', 'cli-user@example.com']);
      const result = JSON.parse(lastLine(stdout)) as { statusCode: number; body: string };
      return { status: result.statusCode, body: JSON.parse(result.body) as { userId: string; stripeCustomerId: string } };
    };
    const first = await invokeCustomer();
    const second = await invokeCustomer();
    expect(first.status).toBe(201);
    expect(first.body.userId).toBe('cli-user');
    expect(second.status).toBe(200);
    expect(second.body.stripeCustomerId).toBe(first.body.stripeCustomerId);
  }, 120_000);

  it('names the functions when asked for one that does not exist', async () => {
    const functions = loadResources().functions.map((f) => f.id);
    expect(functions).toEqual(expect.arrayContaining(['health', 'customer']));
    await expect(cli('invoke.ts', ['nope', 'events/health.json'])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining(`Functions: ${functions.join(', ')}\n`) });
  }, 60_000);
});
