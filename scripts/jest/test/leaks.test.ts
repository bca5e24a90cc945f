// What a test leaves running must not keep a jest run from ending. Each case runs a fixture in a jest
// of its own, in band, as on a machine with one worker, where a leak used to hang the run for good.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../lib/resources';

interface Run {
  code: number | null;
  output: string;
  ms: number;
}

/** Runs one fixture with the repository's jest configuration; gives up (and fails) after `limitMs`. */
function runFixture(fixture: string, env: Record<string, string>, limitMs: number): Promise<Run> {
  const started = Date.now();
  const child = spawn(process.execPath, [join(repoRoot, 'node_modules', 'jest', 'bin', 'jest.js'), '--runInBand', '--ci', '--testMatch', `**/fixtures/${fixture}`], {
    cwd: repoRoot,
    env: { ...process.env, NODE_OPTIONS: '--experimental-vm-modules --no-warnings', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output, ms: Date.now() - started });
    });
  });
}

describe('a jest run with a leak still ends', () => {
  it('stops the emulator a half-failed start left running, and fails that file naming it', async () => {
    // A grace period longer than the limit: only the test environment's clean-up can end this run.
    const run = await runFixture('partial-start.fixture.ts', { JEST_EXIT_GRACE_MS: '120000' }, 45_000);
    expect(run.output).toContain('stripe-mock (/bin/false) did not start');
    expect(run.output).toMatch(/1 emulator\(s\) were still running when the file ended \(now stopped\)[\s\S]*dynalite at http:\/\/127\.0\.0\.1:\d+/);
    expect(run.output).toMatch(/tests: 0 passed, 2 failed, 0 skipped\n$/);
    expect(run.code).toBe(1);
  }, 60_000);

  it('exits a bounded time after the run when a test leaves a handle open, keeping the outcome', async () => {
    const run = await runFixture('open-handle.fixture.ts', { JEST_EXIT_GRACE_MS: '1000' }, 45_000);
    expect(run.output).toContain('keeps the process alive; exiting');
    expect(run.output).toMatch(/tests: 1 passed, 0 failed, 0 skipped\n$/);
    expect(run.code).toBe(0);
  }, 60_000);
});
