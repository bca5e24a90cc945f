// The framework floors the cold-start time budget is read against (docs/adr/0011-cold-start-budget.md)
// make their floor's calls, and carry the libraries the function itself carries, no more and no
// fewer: a framework floor without inversify, or with it for a function that composes without it,
// would move the budget by about 10 ms either way.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BENCHMARKS, buildFrameworkFloor, floorSource, frameworkFloorSource } from '../../bench/lib/floors';
import { bundleEntry } from '../build';
import { loadResources, repoRoot } from '../lib/resources';

const functions = loadResources().functions;
let dir: string;

beforeAll(() => {
  // Inside the repository, so the entry files resolve the project's packages.
  const cache = join(repoRoot, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  dir = mkdtempSync(join(cache, 'framework-floor-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The calls to AWS and Stripe a source makes, in the order it makes them. */
function callsIn(source: string): string[] {
  return source
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^await (\w+\.send\(|\(await fetch\()/.test(line));
}

const FRAMEWORKS: Record<string, RegExp> = {
  'powertools logger': /node_modules\/@aws-lambda-powertools\/logger\//,
  'powertools metrics': /node_modules\/@aws-lambda-powertools\/metrics\//,
  'powertools batch': /node_modules\/@aws-lambda-powertools\/batch\//,
  inversify: /node_modules\/(inversify|@inversifyjs\/[^/]+)\//,
};

function frameworksIn(modules: string[]): string[] {
  return Object.entries(FRAMEWORKS)
    .filter(([, pattern]) => modules.some((module) => pattern.test(module)))
    .map(([name]) => name);
}

describe.each(functions.map((fn) => [fn.id, fn.entry] as const))('the %s framework floor', (id, entry) => {
  const spec = BENCHMARKS[id]!;

  it("makes the floor's calls, in the floor's order", () => {
    const calls = callsIn(floorSource(spec));
    expect(calls.length).toBe(spec.calls.length);
    expect(callsIn(frameworkFloorSource(spec))).toEqual(calls);
  });

  it('loads at cold start the frameworks the function loads', async () => {
    const fn = await bundleEntry(join(repoRoot, entry), join(dir, 'functions', id));
    const floor = await buildFrameworkFloor(id, join(dir, 'floors'));
    const carried = frameworksIn(fn.initModules);
    expect(carried).toEqual(expect.arrayContaining(['powertools logger', 'powertools metrics']));
    expect(frameworksIn(floor.initModules)).toEqual(carried);
  }, 60_000);
});
