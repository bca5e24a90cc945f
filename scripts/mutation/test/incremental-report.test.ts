import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../lib/resources';
import { measuredBy, withShard, type BaselineShard } from '../baseline-shards';
import { fileMatcher, shardPatterns } from '../file-patterns';
import { mergeShard, readReport, scoresByFolderAndFile, scoreOf, staleFiles, withoutUnkilledStatic, writeJsonAtomically, type IncrementalReport } from '../incremental-report';

const fixture = (name: string) => readReport(join(repoRoot, 'scripts', 'mutation', 'test', 'fixtures', `${name}.json`));
const testName = (report: IncrementalReport, id: string) =>
  Object.entries(report.testFiles ?? {}).flatMap(([file, { tests }]) => tests.filter((test) => test.id === id).map((test) => `${file}: ${test.name}`));

describe('merging a shard into the baseline', () => {
  // The shard ran over shared/src/money.ts only; the baseline also holds token.ts and a deleted file.
  const inShard = fileMatcher(['shared/src/money.ts']);
  const exists = (file: string) => file !== 'shared/src/gone.ts';

  it('takes the shard’s results for its files', () => {
    const merged = mergeShard(fixture('baseline'), fixture('shard-run'), { inShard, exists });
    expect(merged.files['shared/src/money.ts']!.mutants.map((mutant) => mutant.status)).toEqual(['Survived']);
  });

  it('keeps the files of other shards, their tests named as in the merged report', () => {
    const merged = mergeShard(fixture('baseline'), fixture('shard-run'), { inShard, exists });
    const token = merged.files['shared/src/auth/token.ts']!;
    expect(token.mutants.map((mutant) => [mutant.replacement, mutant.status])).toEqual([
      ['exp >= now', 'Survived'],
      ['true', 'Killed'],
    ]);
    const [survivor, killed] = token.mutants;
    expect(survivor!.coveredBy!.flatMap((id) => testName(merged, id))).toEqual(['shared/test/token.test.ts: refuses an expired token']);
    expect(killed!.killedBy!.flatMap((id) => testName(merged, id))).toEqual(['shared/test/token.test.ts: refuses an expired token']);
    // The shard's own test ids are untouched, and no carried id collides with them.
    expect(merged.files['shared/src/money.ts']!.mutants[0]!.coveredBy!.flatMap((id) => testName(merged, id))).toEqual(['shared/test/money.test.ts: adds two amounts']);
    const ids = Object.values(merged.files).flatMap(({ mutants }) => mutants.map((mutant) => mutant.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('maps a carried test the shard also ran to the shard’s id for it', () => {
    const baseline = fixture('baseline');
    // money's "adds two amounts" (baseline id 1, the shard's id 0) also covers token.ts here.
    baseline.files['shared/src/auth/token.ts']!.mutants[0]!.coveredBy = ['1'];
    const merged = mergeShard(baseline, fixture('shard-run'), { inShard, exists });
    expect(merged.files['shared/src/auth/token.ts']!.mutants[0]!.coveredBy).toEqual(['0']);
    expect(merged.testFiles!['shared/test/money.test.ts']!.tests).toHaveLength(1);
  });

  it('drops a deleted file, and a file of the shard that no longer has mutants', () => {
    const baseline = fixture('baseline');
    const merged = mergeShard(baseline, fixture('shard-run'), { inShard: fileMatcher(['shared/src/money.ts', 'shared/src/auth/**']), exists });
    expect(Object.keys(merged.files)).toEqual(['shared/src/money.ts']);
  });

  it('prefers what Stryker carried over itself to the older baseline entry', () => {
    const run = fixture('shard-run');
    run.files['shared/src/auth/token.ts'] = { language: 'typescript', source: 'changed\n', mutants: [] };
    const merged = mergeShard(fixture('baseline'), run, { inShard, exists });
    expect(merged.files['shared/src/auth/token.ts']!.source).toBe('changed\n');
  });

  it('is the run itself when there is no baseline yet', () => {
    expect(mergeShard(undefined, fixture('shard-run'), { inShard, exists })).toEqual(fixture('shard-run'));
  });
});

describe('reading and writing the baseline', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mutation-report-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a report cut short (a run stopped while writing it)', () => {
    const path = join(dir, 'cut.json');
    writeFileSync(path, JSON.stringify(fixture('baseline')).slice(0, 300));
    expect(() => readReport(path)).toThrow(SyntaxError);
  });

  it('refuses a document that is not a report, naming where', () => {
    const path = join(dir, 'other.json');
    writeFileSync(path, JSON.stringify({ schemaVersion: '1.0', thresholds: { high: 80, low: 60 }, files: { 'a.ts': { language: 'typescript', source: '', mutants: [{ id: '1' }] } } }));
    expect(() => readReport(path)).toThrow(/is not a Stryker incremental report: .* at files\.a\.ts\.mutants\.0\./);
  });

  it('replaces the file whole and leaves no partial file behind', () => {
    const path = join(dir, 'baseline.json');
    writeJsonAtomically(path, fixture('baseline'));
    writeJsonAtomically(path, fixture('shard-run'));
    expect(readReport(path)).toEqual(fixture('shard-run'));
    expect(readdirSync(dir)).toEqual(['baseline.json']);
    expect(existsSync(`${path}.partial`)).toBe(false);
  });
});

describe('scores', () => {
  it('counts killed and timed out over every mutant that ran or had no coverage', () => {
    const { mutants } = fixture('baseline').files['shared/src/auth/token.ts']!;
    expect(scoreOf([...mutants, { ...mutants[1]!, status: 'Timeout' }, { ...mutants[1]!, status: 'NoCoverage' }, { ...mutants[1]!, status: 'CompileError' }])).toEqual({
      killed: 1,
      timeout: 1,
      survived: 1,
      noCoverage: 1,
      invalid: 1,
      score: 50,
    });
    expect(scoreOf([{ ...mutants[1]!, status: 'CompileError' }]).score).toBeNaN();
  });

  it('sums per folder (the files directly in it) and per file', () => {
    const { total, folders, files } = scoresByFolderAndFile(fixture('baseline'));
    expect(folders.map((row) => [row.path, row.score])).toEqual([
      ['shared/src', 50],
      ['shared/src/auth', 50],
    ]);
    expect(files.map((row) => [row.path, row.score])).toEqual([
      ['shared/src/auth/token.ts', 50],
      ['shared/src/gone.ts', 0],
      ['shared/src/money.ts', 100],
    ]);
    expect(total.score).toBe(50);
  });
});

describe('shard patterns', () => {
  it('reads a folder as its TypeScript files and keeps globs, files and exclusions', () => {
    expect(shardPatterns('shared/src/,services/x/src/domain/money.ts,!shared/src/http')).toEqual(['shared/src/**/*.ts', 'services/x/src/domain/money.ts', '!shared/src/http/**/*.ts']);
  });

  it('matches as Stryker does: ** spans folders or none, * stays in one, a later ! excludes', () => {
    const matches = fileMatcher(['shared/src/**/*.ts', '!shared/src/http/**/*.ts']);
    expect(['shared/src/a.ts', 'shared/src/auth/jwt.ts', 'shared/src/http/problem.ts', 'shared/srcs/a.ts', 'shared/src/a.tsx'].filter(matches)).toEqual(['shared/src/a.ts', 'shared/src/auth/jwt.ts']);
    expect(fileMatcher(['services/*/src/**/*.ts'])('services/a/b/src/c.ts')).toBe(false);
  });
});

describe('what the baseline measured', () => {
  const shard = (name: string, patterns: string[]): BaselineShard => ({
    name,
    patterns,
    commit: 'a'.repeat(40),
    finishedAt: '2026-01-01T00:00:00.000Z',
    minutes: 1,
    files: {},
    mutants: 0,
    score: null,
  });

  it('records a shard in place of one of its name and of those whose every file it measured again', () => {
    const withFiles = (name: string, files: string[]) => ({ ...shard(name, files), files: Object.fromEntries(files.map((file) => [file, 'f'.repeat(64)])) });
    const known = { shards: [withFiles('http', ['http/a.ts', 'http/b.ts']), withFiles('domain', ['domain/c.ts']), withFiles('auth', ['auth/d.ts', 'auth/e.ts']), withFiles('empty', [])] };
    const again = withFiles('http-and-domain', ['http/a.ts', 'http/b.ts', 'domain/c.ts', 'auth/d.ts']);
    expect(withShard(known, again).shards.map(({ name }) => name)).toEqual(['auth', 'http-and-domain']);
    expect(withShard(known, withFiles('auth', ['auth/x.ts'])).shards.map(({ name }) => name)).toEqual(['http', 'domain', 'auth']);
  });

  it('is every file some shard’s patterns name, one shard’s exclusions not undoing another’s', () => {
    const measured = measuredBy({
      shards: [shard('dynamodb', ['adapters/dynamodb/**/*.ts', '!adapters/dynamodb/event-store.ts']), shard('rest', ['adapters/**/*.ts', '!adapters/dynamodb/**/*.ts'])],
    });
    expect(['adapters/dynamodb/store.ts', 'adapters/dynamodb/event-store.ts', 'adapters/sqs/poller.ts', 'domain/money.ts'].filter(measured)).toEqual(['adapters/dynamodb/store.ts', 'adapters/sqs/poller.ts']);
  });
});

describe('what a shard tests again', () => {
  it('is every static mutant of its files that no test killed, since no test ever counts as covering one', () => {
    const report = fixture('baseline');
    const [survivor, killed] = report.files['shared/src/auth/token.ts']!.mutants;
    const staticOnes = [
      { ...survivor!, id: 's1', static: true },
      { ...survivor!, id: 's2', static: true, status: 'NoCoverage' as const },
      { ...killed!, id: 's3', static: true },
      { ...survivor!, id: 's4', static: true, status: 'Timeout' as const },
    ];
    report.files['shared/src/auth/token.ts']!.mutants.push(...staticOnes);
    report.files['shared/src/money.ts']!.mutants.push({ ...survivor!, id: 's5', static: true });
    const again = withoutUnkilledStatic(report, (file) => file === 'shared/src/auth/token.ts');
    expect(again.files['shared/src/auth/token.ts']!.mutants.map(({ id }) => id)).toEqual([survivor!.id, killed!.id, 's3', 's4']);
    expect(again.files['shared/src/money.ts']!.mutants.map(({ id }) => id)).toEqual([...report.files['shared/src/money.ts']!.mutants.map(({ id }) => id)]);
    expect(again.testFiles).toEqual(report.testFiles);
  });
});

describe('what CI runs again', () => {
  // The baseline fixture's sources, as the tree holds them unless a case changes one.
  const baseline = () => {
    const report = fixture('baseline');
    report.testFiles!['shared/test/money.test.ts']!.source = 'money tests\n';
    report.testFiles!['shared/test/token.test.ts']!.source = 'token tests\n';
    return report;
  };
  const treeOf = (report: IncrementalReport, changes: Record<string, string | undefined> = {}, hashes: Record<string, string> = {}) => {
    const contents: Record<string, string | undefined> = {
      ...Object.fromEntries(Object.entries(report.files).map(([file, { source }]) => [file, source])),
      ...Object.fromEntries(Object.entries(report.testFiles ?? {}).map(([file, { source }]) => [file, source])),
      'shared/src/types.ts': 'export type A = string;\n',
      ...changes,
    };
    return {
      productFiles: ['shared/src/money.ts', 'shared/src/auth/token.ts', 'shared/src/types.ts'],
      read: (file: string) => contents[file],
      recordedHash: (file: string) => hashes[file],
      hash: (content: string) => `hash:${content}`,
    };
  };
  const typesHash = { 'shared/src/types.ts': 'hash:export type A = string;\n' };

  it('is nothing when no product or test file changed', () => {
    expect(staleFiles(baseline(), treeOf(baseline(), {}, typesHash))).toEqual([]);
  });

  it('is a product file whose code changed', () => {
    expect(staleFiles(baseline(), treeOf(baseline(), { 'shared/src/money.ts': 'export const add = (a: number, b: number) => b + a;\n' }, typesHash))).toEqual(['shared/src/money.ts']);
  });

  it('is a file without mutants once its content differs from the hash its shard recorded, or when none was', () => {
    expect(staleFiles(baseline(), treeOf(baseline(), { 'shared/src/types.ts': 'export const a = 1;\n' }, typesHash))).toEqual(['shared/src/types.ts']);
    expect(staleFiles(baseline(), treeOf(baseline()))).toEqual(['shared/src/types.ts']);
  });

  it('is every product file with a mutant killed by a test of a changed or deleted test file', () => {
    expect(staleFiles(baseline(), treeOf(baseline(), { 'shared/test/token.test.ts': 'token tests, changed\n' }, typesHash))).toEqual(['shared/src/auth/token.ts']);
    expect(staleFiles(baseline(), treeOf(baseline(), { 'shared/test/money.test.ts': undefined }, typesHash))).toEqual(['shared/src/money.ts']);
  });

  // A third test file whose one test covered every mutant of the fixture and killed none of them,
  // as an end-to-end test does when a unit test ran first and killed what it could.
  const withEndToEnd = (status?: 'Timeout') => {
    const report = baseline();
    report.testFiles!['shared/test/e2e.test.ts'] = { source: 'e2e tests\n', tests: [{ id: '9', name: 'e2e covers everything' }] };
    for (const { mutants } of Object.values(report.files)) {
      for (const mutant of mutants) {
        mutant.coveredBy = [...(mutant.coveredBy ?? []), '9'];
        if (status && mutant.status === 'Killed') {
          mutant.status = status;
          mutant.killedBy = [];
        }
      }
    }
    return report;
  };

  it('is not a file whose mutants a changed test file only covered: their kills rest on the tests that recorded them', () => {
    const report = withEndToEnd();
    expect(staleFiles(report, treeOf(report, { 'shared/test/e2e.test.ts': 'e2e tests, changed\n' }, typesHash))).toEqual([]);
    expect(staleFiles(report, treeOf(report, { 'shared/test/e2e.test.ts': undefined }, typesHash))).toEqual([]);
  });

  it('is a file with a timeout any changed test file covered, since a timeout records no test', () => {
    const report = withEndToEnd('Timeout');
    expect(staleFiles(report, treeOf(report, { 'shared/test/e2e.test.ts': 'e2e tests, changed\n' }, typesHash))).toEqual(['shared/src/auth/token.ts', 'shared/src/money.ts']);
  });

  it('is not a file whose only mutants resting on a changed test survived: a test can only kill more', () => {
    const report = baseline();
    report.files['shared/src/auth/token.ts']!.mutants = report.files['shared/src/auth/token.ts']!.mutants.filter((mutant) => mutant.status === 'Survived');
    expect(staleFiles(report, treeOf(report, { 'shared/test/token.test.ts': 'token tests, changed\n' }, typesHash))).toEqual([]);
  });
});
