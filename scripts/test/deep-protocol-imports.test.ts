import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bundleEntry, type Bundle } from '../build';
import { barrelMap, rewriteBarrelImports } from '../lib/deep-protocol-imports';
import { loadResources, repoRoot } from '../lib/resources';

const barrel = readFileSync(join(repoRoot, 'node_modules/@aws-sdk/core/dist-es/submodules/protocols/index.js'), 'utf8');

describe('the protocols barrel map', () => {
  it('names the file of each protocol and leaves names re-exported from another package to that package', () => {
    const map = barrelMap(barrel);
    expect(map.get('AwsQueryProtocol')).toBe('./query/AwsQueryProtocol');
    expect(map.get('AwsJson1_0Protocol')).toBe('./json/AwsJson1_0Protocol');
    expect(map.get('JsonShapeSerializer2')).toBe('@smithy/core/protocols');
  });

  it('skips an export list that renames, which a plain rewrite would get wrong', () => {
    expect([...barrelMap('export { a as b } from "./a"; export { c } from "./c";')]).toEqual([['c', './c']]);
  });
});

describe('rewriting a client import', () => {
  const map = new Map([
    ['A', './a'],
    ['B', './b'],
    ['C', './a'],
  ]);
  const target = (specifier: string) => `/deep/${specifier.replace('./', '')}.js`;

  it('imports each name from the file that defines it, grouped per file', () => {
    expect(rewriteBarrelImports('import { A, B, C } from "@aws-sdk/core/protocols";\nuse(A);', map, target)).toBe(
      'import { A, C } from "/deep/a.js"; import { B } from "/deep/b.js";\nuse(A);',
    );
  });

  it('leaves an import alone when one of its names is unknown or renamed', () => {
    const unknown = 'import { A, Z } from "@aws-sdk/core/protocols";';
    const renamed = 'import { A as X } from "@aws-sdk/core/protocols";';
    expect(rewriteBarrelImports(unknown, map, target)).toBe(unknown);
    expect(rewriteBarrelImports(renamed, map, target)).toBe(renamed);
  });
});

describe('the events worker bundle', () => {
  let dir: string;
  let bundle: Bundle;
  beforeAll(async () => {
    const cache = join(repoRoot, 'node_modules', '.cache');
    mkdirSync(cache, { recursive: true });
    dir = mkdtempSync(join(cache, 'deep-protocols-'));
    const fn = loadResources().functions.find((f) => f.id === 'events-worker')!;
    bundle = await bundleEntry(join(repoRoot, fn.entry), dir);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("loads SNS's query protocol with SNS, on the first publish, not at cold start", () => {
    const query = (module: string) => module.includes('protocols/query/AwsQueryProtocol');
    expect(bundle.initModules.filter(query)).toEqual([]);
    expect(bundle.initModules.some((module) => module.includes('protocols/json/AwsJson1_0Protocol'))).toBe(true);
  });

  it('has chunks that evaluate, the one holding SNS among them', () => {
    const chunks = bundle.files.filter((file) => file.startsWith('chunks/'));
    const sns = chunks.filter((file) => readFileSync(join(dir, file), 'utf8').includes('sns.amazonaws.com'));
    expect(sns.length).toBeGreaterThan(0);
    const script = `await Promise.all(${JSON.stringify(chunks.map((file) => join(dir, file)))}.map((file) => import(file))); console.log('ok');`;
    expect(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim()).toBe('ok');
  });
});
