// Runs one test fixture in a jest of its own, with the repository's configuration, in band (one
// worker, as on a 2-core machine), to check what the configuration does with it.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../lib/resources';

export interface Run {
  code: number | null;
  output: string;
  ms: number;
}

/** Runs fixtures matching `fixture` with the repository's jest configuration, and `args` on top; gives up (and fails) after `limitMs`. */
export function runFixture(fixture: string, env: Record<string, string>, limitMs: number, args: string[] = []): Promise<Run> {
  const started = Date.now();
  const child = spawn(process.execPath, [join(repoRoot, 'node_modules', 'jest', 'bin', 'jest.js'), '--runInBand', '--ci', '--testMatch', `**/fixtures/${fixture}`, ...args], {
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
