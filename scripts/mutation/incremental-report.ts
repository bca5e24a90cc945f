// The committed mutation baseline (reports/stryker-incremental.json): Stryker's incremental file, a
// mutation-testing-report-schema document. A full run takes hours on our machines, so the baseline
// is built shard by shard (scripts/mutation/shard.ts) and read back for scores
// (scripts/mutation-score.ts) and for CI's incremental run (scripts/mutation/ci.ts).
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as v from 'valibot';

const Position = v.looseObject({ line: v.number(), column: v.number() });

const MutantStatus = v.picklist(['Killed', 'Survived', 'NoCoverage', 'Timeout', 'CompileError', 'RuntimeError', 'Ignored', 'Pending']);
export type MutantStatus = v.InferOutput<typeof MutantStatus>;

const Mutant = v.looseObject({
  id: v.string(),
  mutatorName: v.string(),
  replacement: v.optional(v.string()),
  location: v.looseObject({ start: Position, end: Position }),
  status: MutantStatus,
  coveredBy: v.optional(v.array(v.string())),
  killedBy: v.optional(v.array(v.string())),
  static: v.optional(v.boolean()),
});
export type Mutant = v.InferOutput<typeof Mutant>;

const FileResult = v.looseObject({ language: v.string(), source: v.string(), mutants: v.array(Mutant) });
export type FileResult = v.InferOutput<typeof FileResult>;

const Test = v.looseObject({ id: v.string(), name: v.string() });
const TestFile = v.looseObject({ source: v.optional(v.string()), tests: v.array(Test) });
export type TestFile = v.InferOutput<typeof TestFile>;

const Report = v.looseObject({
  schemaVersion: v.string(),
  thresholds: v.looseObject({ high: v.number(), low: v.number() }),
  files: v.record(v.string(), FileResult),
  testFiles: v.optional(v.record(v.string(), TestFile)),
});
export type IncrementalReport = v.InferOutput<typeof Report>;

/** The report at `path`, checked; a file that is not one (a run killed while writing) throws. */
export function readReport(path: string): IncrementalReport {
  const result = v.safeParse(Report, JSON.parse(readFileSync(path, 'utf8')));
  if (!result.success) {
    const [issue] = result.issues;
    throw new Error(`${path} is not a Stryker incremental report: ${issue.message} at ${v.getDotPath(issue) ?? '(root)'}`);
  }
  return result.output;
}

export function readReportIfPresent(path: string): IncrementalReport | undefined {
  return existsSync(path) ? readReport(path) : undefined;
}

/**
 * Written beside the target, then renamed over it: a reader (or git) only ever sees the old file or
 * the whole new one, even when the process is killed half way.
 */
export function writeJsonAtomically(path: string, value: unknown): void {
  const partial = join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
  writeFileSync(partial, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(partial, path);
}

export interface MergeScope {
  /** The files the shard was asked to mutate: the run's answer for them replaces the baseline's. */
  inShard(file: string): boolean;
  /** A file of the baseline the run does not mention is kept only while it still exists. */
  exists(file: string): boolean;
}

// Test ids are unique only within one report (Stryker's incremental differ matches tests by file
// and name across reports), so a test carried over from the baseline is looked up by those.
const testKey = (file: string, name: string) => `${file}\u0000${name}`;

/**
 * The baseline with one shard's run merged in. Stryker's own incremental run already carries the
 * results of the files outside its `--mutate` over into the file it writes; this keeps what it did
 * not (a file it could not read, a run that began without the baseline), so a shard can only add
 * to or refresh the baseline, never lose another shard's files.
 */
export function mergeShard(baseline: IncrementalReport | undefined, run: IncrementalReport, scope: MergeScope): IncrementalReport {
  const merged: IncrementalReport = structuredClone(run);
  if (!baseline) return merged;
  const testFiles = (merged.testFiles ??= {});
  const idByKey = new Map<string, string>();
  for (const [file, { tests }] of Object.entries(testFiles)) for (const test of tests) idByKey.set(testKey(file, test.name), test.id);
  const baselineTests = new Map<string, { file: string; name: string }>();
  for (const [file, { tests }] of Object.entries(baseline.testFiles ?? {})) for (const test of tests) baselineTests.set(test.id, { file, name: test.name });

  let carriedTests = 0;
  const carryTest = (oldId: string): string | undefined => {
    const test = baselineTests.get(oldId);
    if (!test) return undefined;
    const key = testKey(test.file, test.name);
    const known = idByKey.get(key);
    if (known !== undefined) return known;
    const id = `baseline-test-${++carriedTests}`;
    (testFiles[test.file] ??= { tests: [] }).tests.push({ id, name: test.name });
    idByKey.set(key, id);
    return id;
  };
  const carryTests = (ids: string[] | undefined) => ids?.map(carryTest).filter((id) => id !== undefined);

  for (const [file, result] of Object.entries(baseline.files)) {
    if (file in merged.files || scope.inShard(file) || !scope.exists(file)) continue;
    merged.files[file] = {
      ...result,
      mutants: result.mutants.map((mutant) => ({
        ...mutant,
        // Mutant ids, like test ids, only need to be unique within one report.
        id: `baseline-${file}-${mutant.id}`,
        coveredBy: carryTests(mutant.coveredBy),
        killedBy: carryTests(mutant.killedBy),
      })),
    };
  }
  return merged;
}

/**
 * The report without the static mutants of `inShard`'s files that no test killed, so that a shard run
 * from it tests them again. Stryker's incremental run reuses a mutant that was not killed when no new
 * or changed test covers it, and it counts only what a test reached while running: a static mutant
 * (a module-level table) is reached while a file loads, so a unit test added for it never counts as
 * covering it, and the survivor would be carried over from run to run.
 */
export function withoutUnkilledStatic(report: IncrementalReport, inShard: (file: string) => boolean): IncrementalReport {
  const unkilled = (mutant: Mutant) => mutant.static === true && (mutant.status === 'Survived' || mutant.status === 'NoCoverage');
  return {
    ...report,
    files: Object.fromEntries(
      Object.entries(report.files).map(([file, result]) => [file, inShard(file) ? { ...result, mutants: result.mutants.filter((mutant) => !unkilled(mutant)) } : result]),
    ),
  };
}

export interface Score {
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  /** Mutants that never ran as tests: compile and runtime errors, ignored. */
  invalid: number;
  /** Killed and timed out over killed, timed out, survived and without coverage (Stryker's score), in percent; NaN when none of them. */
  score: number;
}

export function scoreOf(mutants: readonly Mutant[]): Score {
  const count = (status: MutantStatus) => mutants.filter((mutant) => mutant.status === status).length;
  const killed = count('Killed');
  const timeout = count('Timeout');
  const survived = count('Survived');
  const noCoverage = count('NoCoverage');
  const valid = killed + timeout + survived + noCoverage;
  return { killed, timeout, survived, noCoverage, invalid: mutants.length - valid, score: valid === 0 ? Number.NaN : ((killed + timeout) / valid) * 100 };
}

export interface ScoreRow extends Score {
  path: string;
}

/** One row per folder (the files directly in it) and one per file, each sorted by path. */
export function scoresByFolderAndFile(report: IncrementalReport): { total: Score; folders: ScoreRow[]; files: ScoreRow[] } {
  const byFolder = new Map<string, Mutant[]>();
  const files: ScoreRow[] = [];
  for (const [file, { mutants }] of Object.entries(report.files)) {
    files.push({ path: file, ...scoreOf(mutants) });
    const folder = dirname(file);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), ...mutants]);
  }
  const byPath = (a: ScoreRow, b: ScoreRow) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return {
    total: scoreOf(Object.values(report.files).flatMap(({ mutants }) => mutants)),
    folders: [...byFolder].map(([path, mutants]) => ({ path, ...scoreOf(mutants) })).sort(byPath),
    files: files.sort(byPath),
  };
}

export function formatScore(score: number): string {
  return Number.isNaN(score) ? 'n/a' : `${score.toFixed(2)}%`;
}

export function formatRows(rows: readonly ScoreRow[]): string {
  const width = Math.max(4, ...rows.map((row) => row.path.length));
  const header = `${'path'.padEnd(width)}  score    killed timeout survived no-cov invalid`;
  const lines = rows.map(
    (row) =>
      `${row.path.padEnd(width)}  ${formatScore(row.score).padStart(7)}  ${String(row.killed).padStart(6)} ${String(row.timeout).padStart(7)} ${String(row.survived).padStart(8)} ${String(row.noCoverage).padStart(6)} ${String(row.invalid).padStart(7)}`,
  );
  return [header, ...lines].join('\n');
}

export interface TreeState {
  /** The product files the baseline's shards measured, as they are now. */
  productFiles: readonly string[];
  /** A file's content now, undefined once deleted. */
  read(file: string): string | undefined;
  /** The content hash a shard recorded for a file it measured with no mutant, if any. */
  recordedHash(file: string): string | undefined;
  hash(content: string): string;
}

/**
 * The product files whose mutants the baseline can no longer vouch for: changed since (or new, or
 * with no record), and those with a mutant whose kill a changed or deleted test file recorded (that
 * test may now miss it). Test changes are read per mutant, not per file: end-to-end tests cover
 * nearly every line, so "covered by a changed test" would make every file stale at each change to
 * one of them, while the run's bail means a mutant's kill rests on the one test that recorded it.
 * A timeout records no test, so it rests on every test that covered it. A survivor or an uncovered
 * mutant is never made stale by a test: tests changed or added can only kill more, so the score CI
 * reads may then be lower than the truth, never higher.
 */
export function staleFiles(baseline: IncrementalReport, tree: TreeState): string[] {
  const stale = new Set<string>();
  for (const file of tree.productFiles) {
    const content = tree.read(file);
    const entry = baseline.files[file];
    if (content === undefined) continue;
    if (entry ? entry.source !== content : tree.recordedHash(file) !== tree.hash(content)) stale.add(file);
  }
  const changedTests = new Set<string>();
  for (const [file, { source, tests }] of Object.entries(baseline.testFiles ?? {})) {
    if (source !== undefined && tree.read(file) === source) continue;
    for (const test of tests) changedTests.add(test.id);
  }
  const restsOnChangedTest = (mutant: Mutant): boolean => {
    const reliedOn = mutant.status === 'Killed' ? mutant.killedBy : mutant.status === 'Timeout' ? mutant.coveredBy : [];
    return (reliedOn ?? []).some((id) => changedTests.has(id));
  };
  if (changedTests.size > 0) {
    for (const [file, { mutants }] of Object.entries(baseline.files)) {
      if (tree.productFiles.includes(file) && mutants.some(restsOnChangedTest)) stale.add(file);
    }
  }
  return [...stale].sort();
}
