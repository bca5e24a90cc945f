// What the libraries every function carries cost a cold start by themselves, next to a bundle that
// does nothing: the Powertools logger and metrics with one access log line and its EMF document
// (what every HTTP function writes per request), the same plus Powertools batch processing of one
// SQS record (the workers), and an inversify container resolving one use case of six dependencies.
// The wrappers are the framework floors' (bench/lib/framework-wrappers.ts), around no work.
// Built and run as `npm run bench` runs a function (same esbuild options, fresh processes,
// alternating order); the cost is the median above the empty bundle's. It says how much of a
// function's distance to its floor no change to our own code can remove (docs/adr/0011).
// Usage: npx tsx bench/framework-cost.ts [--runs 21]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { bundleEntry } from '../scripts/build';
import { repoRoot } from '../scripts/lib/resources';
import { median, timeRun } from './lib/cold-run';
import { TELEMETRY, containerSource, httpHandlerSource, workerHandlerSource } from './lib/framework-wrappers';

const runsFlag = process.argv.indexOf('--runs');
const runs = Number(runsFlag > 0 ? process.argv[runsFlag + 1] : 21);
const ENV: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '', AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand' };

// The inversify bundles resolve one use case over six dependencies, each a plain object.
const SIX = ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => ({ name, factory: `() => ({ token: ${JSON.stringify(name)} })` }));
const container = containerSource(SIX, '(...deps) => ({ deps })');

const SQS_EVENT = JSON.stringify({
  Records: [{ messageId: 'bench-1', receiptHandle: 'bench', body: '{}', attributes: {}, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:bench', awsRegion: 'us-east-1' }],
});
// What the HTTP wrapper reads of an API Gateway request: its route, path, method and request id.
const HTTP_EVENT = JSON.stringify({ routeKey: 'GET /', rawPath: '/', headers: {}, requestContext: { requestId: 'bench', http: { method: 'GET', path: '/' } } });

const SOURCES: Record<string, { source: string; event: string }> = {
  'nothing': { source: `export const handler = async () => ({ statusCode: 200 });\n`, event: HTTP_EVENT },
  'powertools, HTTP': { source: `${TELEMETRY}${httpHandlerSource({ work: '' })}`, event: HTTP_EVENT },
  'powertools, worker': { source: `${TELEMETRY}${workerHandlerSource({ work: '' })}`, event: SQS_EVENT },
  'inversify': {
    source: `${container}
export const handler = async () => { await compose(); return { statusCode: 200 }; };
`,
    event: HTTP_EVENT,
  },
  'powertools, worker + inversify': { source: `${TELEMETRY}${container}${workerHandlerSource({ compose: 'compose()', work: '' })}`, event: SQS_EVENT },
};

// Inside the repository, so that the entries resolve the project's packages.
const dir = join(repoRoot, 'dist', 'framework-cost');
try {
  const bundles: { name: string; entry: string; event: string; initBytes: number }[] = [];
  for (const [i, [name, { source, event }]] of Object.entries(SOURCES).entries()) {
    mkdirSync(join(dir, String(i)), { recursive: true });
    const entry = join(dir, String(i), 'entry.mjs');
    writeFileSync(entry, source);
    const built = await bundleEntry(entry, join(dir, String(i), 'out'));
    bundles.push({ name, entry: built.entry, event, initBytes: built.initBytes });
  }
  const samples = bundles.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
  for (let round = 0; round < runs; round += 1) {
    const order = [...bundles.keys()];
    if (round % 2) order.reverse();
    for (const i of order) {
      const sample = await timeRun(ENV, [bundles[i]!.entry, 'invoke', bundles[i]!.event]);
      samples[i]!.wall.push(sample.wallMs);
      samples[i]!.cpu.push(sample.cpuMs);
    }
  }
  console.log(`framework cost: ${runs} rounds, Node ${process.version}, load average ${loadavg().map((load) => load.toFixed(2)).join(' ')} (${availableParallelism()} CPUs)`);
  console.log('bundle                            at init | 1st invoke ms  above nothing | cpu ms  above nothing');
  const [wall0, cpu0] = [median(samples[0]!.wall), median(samples[0]!.cpu)];
  bundles.forEach((bundle, i) => {
    const [wall, cpu] = [median(samples[i]!.wall), median(samples[i]!.cpu)];
    console.log(
      `${bundle.name.padEnd(32)} ${(bundle.initBytes / 1024).toFixed(0).padStart(5)} KB |` +
        ` ${wall.toFixed(1).padStart(13)} ${(wall - wall0).toFixed(1).padStart(14)} | ${cpu.toFixed(1).padStart(6)} ${(cpu - cpu0).toFixed(1).padStart(14)}`,
    );
  });
  console.log(`load average ${loadavg().map((load) => load.toFixed(2)).join(' ')} at the end`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
