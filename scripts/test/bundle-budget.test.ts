// The size half of the cold-start budget (docs/adr/0011-cold-start-budget.md): what each function
// loads at cold start stays within what its floor loads plus the allowance. The time half is
// measured by `npm run bench`, never asserted here.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BENCHMARKS, BUNDLE_ALLOWANCE_BYTES, buildFloor } from '../../bench/lib/floors';
import { buildFunctions, type BuiltFunction } from '../build';
import { loadResources, repoRoot } from '../lib/resources';

const functions = loadResources().functions.map((fn) => fn.id);
let dir: string;
let built: Map<string, BuiltFunction>;

beforeAll(async () => {
  // Inside the repository, so the floors' entry files resolve the project's packages.
  const cache = join(repoRoot, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  dir = mkdtempSync(join(cache, 'bundle-budget-'));
  built = new Map((await buildFunctions(join(dir, 'dist'))).map((fn) => [fn.id, fn]));
}, 120_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe.each(functions)('the %s function', (id) => {
  it('has a floor to be measured against', () => {
    expect(Object.keys(BENCHMARKS)).toContain(id);
  });

  it(`loads at most its floor + ${BUNDLE_ALLOWANCE_BYTES / 1024} KB at cold start`, async () => {
    const fn = built.get(id)!;
    const floor = await buildFloor(id, join(dir, 'floors'));
    expect(fn.initBytes).toBeLessThanOrEqual(floor.initBytes + BUNDLE_ALLOWANCE_BYTES);
  }, 60_000);

  it('keeps the Stripe SDK out of what it loads at cold start', () => {
    const fn = built.get(id)!;
    expect(fn.initModules.filter((module) => module.includes('node_modules/stripe/'))).toEqual([]);
  });
});
