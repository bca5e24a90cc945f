import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTool } from '../../../../scripts/testing/tools';
import { startTarget, type E2eTarget } from './target';

// Schemathesis generates requests from the OpenAPI document (valid and invalid ones) and checks
// every answer: never a 5xx, only documented statuses and content types, bodies matching the
// document. It drives the stack with a real token, so the authenticated paths are explored too.

const MIN_CASES = 2000;
let target: E2eTarget;

beforeAll(async () => {
  target = await startTarget();
}, 60_000);
afterAll(async () => target?.stop());

function run(binary: string, args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // Its working folder takes what it keeps for `st replay`, so that stays out of the repository.
    const child = spawn(binary, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

it(`answers at least ${MIN_CASES} generated requests with no 5xx and only what the document says`, async () => {
  const binary = requireTool('schemathesis');
  // An administrator, so that the catalog sync is explored too, not only refused.
  const token = await target.tokenFor({ sub: `schemathesis-${Date.now()}`, email: 'fuzz@example.com', role: 'admin' });
  const reports = mkdtempSync(join(tmpdir(), 'schemathesis-'));
  const { code, output } = await run(binary, [
    'run', `${target.baseUrl}/stripe/openapi.json`,
    '--url', target.baseUrl,
    '--header', `Authorization: Bearer ${token}`,
    '--checks', 'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance',
    '--max-examples', '150',
    '--seed', '20261201',
    '--workers', '2',
    '--request-timeout', '20',
    '--generation-database', 'none',
    '--no-color',
    '--report', 'junit',
    '--report-junit-path', join(reports, 'junit.xml'),
  ], reports);
  const junit = readFileSync(join(reports, 'junit.xml'), 'utf8');
  const cases = /Test cases:\s*(\d+) generated/.exec(output)?.[1];
  process.stderr.write(`[schemathesis] ${output.split('\n').filter((l) => /Test cases|operations|passed|failed|errors/i.test(l)).join('\n')}\n`);
  expect({ code, tail: code === 0 ? '' : output.slice(-6000) }).toEqual({ code: 0, tail: '' });
  expect(junit).toContain('<testsuite');
  expect(Number(cases)).toBeGreaterThanOrEqual(MIN_CASES);
}, 600_000);
