// Time from `npm run dev` to its ready line, and from Ctrl-C to exit, on an empty and on a kept data
// directory. Runs the real command (including its set-up step) on free ports in a temporary folder.
// Usage: npm run bench:dev -- [--runs 3]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../scripts/lib/resources';
import { freePort } from '../scripts/testing/emulators';

const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 3;

async function once(dataDir: string): Promise<{ readyMs: number; stopMs: number }> {
  const env = {
    ...process.env,
    LOCAL_STACK_DATA_DIR: dataDir,
    PORT: String(await freePort()),
    DYNAMODB_PORT: String(await freePort()),
    SQS_PORT: String(await freePort()),
    STRIPE_SIMULATOR_PORT: String(await freePort()),
  };
  const started = performance.now();
  const child = spawn('npm', ['run', '--silent', 'dev'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const readyMs = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready after 60 s:\n${output}`)), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (/^ready in /m.test(output)) {
        clearTimeout(timer);
        resolve(performance.now() - started);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`npm run dev exited with ${code}:\n${output}`)));
  });
  const stopping = performance.now();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(-child.pid!, 'SIGINT');
  await exited;
  return { readyMs, stopMs: performance.now() - stopping };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

console.log(`npm run dev: ${runs} runs each, Node ${process.version}, ${new Date().toISOString()}`);
for (const kept of [false, true]) {
  const ready: number[] = [];
  const stop: number[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'dev-ready-'));
  try {
    if (kept) await once(dataDir); // leaves tables, Stripe objects and secrets behind
    for (let i = 0; i < runs; i += 1) {
      if (!kept) rmSync(dataDir, { recursive: true, force: true });
      const result = await once(dataDir);
      ready.push(result.readyMs);
      stop.push(result.stopMs);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(
    `${kept ? 'kept .data/ ' : 'empty .data/'}  command to ready: median ${(median(ready) / 1000).toFixed(2)} s (max ${(Math.max(...ready) / 1000).toFixed(2)} s)   Ctrl-C to exit: median ${(median(stop) / 1000).toFixed(2)} s   budget 10 s: ${(median(ready) / 10_000).toFixed(2)} of it`,
  );
}
