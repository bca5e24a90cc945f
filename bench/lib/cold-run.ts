// One cold start of a bundle in a fresh process (bench/run-bundle.mjs), timed from spawn to exit,
// with the CPU time the process reported; and the median the benchmarks report.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const runner = join(import.meta.dirname, '..', 'run-bundle.mjs');

export interface Sample {
  /** Wall time of the process, from spawn to exit: what the budget is stated in. */
  wallMs: number;
  /** CPU time the process used (user + system, all its threads), as it reported it. */
  cpuMs: number;
}

/** One fresh process running `run-bundle.mjs <bundle> <mode> <event>`; asynchronous, because the fake endpoints answer from this process's event loop. */
export function timeRun(env: NodeJS.ProcessEnv, args: string[]): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [runner, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const cpu = /cpu-ms (\d+(?:\.\d+)?)\n$/.exec(stderr);
      if (code === 0 && cpu) resolve({ wallMs, cpuMs: Number(cpu[1]) });
      else reject(new Error(`${args[0]} (${args[1]}) failed: ${stderr.slice(-800)}`));
    });
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
