// Cold-start cost of each Lambda bundle: median wall time of `node` loading the bundle, paired with a
// bare `node -e 0` run each round, so machine noise hits both sides alike. Prints sizes and ratios.
// Usage: npm run bench -- [--runs 15]
import { spawnSync } from 'node:child_process';
import { buildFunctions } from '../scripts/build';

const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 15;

function timeNode(args: string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: 'ignore', env: { PATH: process.env.PATH ?? '' } });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${result.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const built = await buildFunctions();
console.log(`cold start: ${runs} paired runs per function, Node ${process.version}, ${new Date().toISOString()}`);
console.log('function                   bundle      zip   bare ms   load ms   ratio');
for (const fn of built) {
  const bare: number[] = [];
  const load: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    bare.push(timeNode(['-e', '0']));
    load.push(timeNode(['--input-type=module', '-e', `await import(${JSON.stringify(fn.bundle)})`]));
  }
  const b = median(bare);
  const l = median(load);
  console.log(
    `${fn.id.padEnd(24)} ${(fn.bundleBytes / 1024).toFixed(0).padStart(6)} KB ${(fn.zipBytes / 1024).toFixed(0).padStart(5)} KB ${b.toFixed(1).padStart(9)} ${l.toFixed(1).padStart(9)} ${(l / b).toFixed(2).padStart(6)}x`,
  );
}
