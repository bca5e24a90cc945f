// `npm run test:mutation:shard -- <folder|glob|file>[,…] | --stale [--name <name>] [--commit <rev>] [--from <report>] [-- <stryker options>]`:
// one shard of the mutation baseline. A full run takes hours, longer than anyone keeps a machine
// free, so the baseline (reports/stryker-incremental.json) is built a part at a time: Stryker runs
// incrementally over the shard's files, on a clean copy of the commit, and its answer is merged into
// the baseline only once the run has finished. A shard that is stopped, or fails, leaves the
// baseline as it was. See docs/adr/0010-mutation-testing.md.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fail, parseCommandLine } from '../ops/cli';
import { repoRoot } from '../lib/resources';
import { contentHash, manifestPathFor, readManifest, withShard } from './baseline-shards';
import { baselineState } from './baseline-state';
import { fileMatcher, shardPatterns } from './file-patterns';
import { formatRows, formatScore, mergeShard, readReport, readReportIfPresent, scoreOf, scoresByFolderAndFile, withoutUnkilledStatic, writeJsonAtomically } from './incremental-report';
import { exportCommit, productFiles, resolveCommit, runStryker } from './workspace';

const USAGE = `Usage: npm run test:mutation:shard -- <folder|glob|file>[,…] | --stale [--name <name>] [--commit <rev>] [--from <report>] [-- <stryker options>]

Mutation-tests one part of the product code and merges the result into the committed baseline.

  <folder|glob|file>  what to mutate, as Stryker's --mutate (a folder means its .ts files; ! excludes)
  --stale             instead: the measured files that changed since the baseline (or whose
                      killing tests did), what CI's incremental run would measure again
  --name <name>       the shard's name in reports/stryker-incremental.shards.json (default: from the pattern)
  --commit <rev>      the commit to measure (default HEAD); run on a clean copy of it
  --baseline <file>   default reports/stryker-incremental.json
  --from <report>     merge the incremental report of a shard run elsewhere (another machine) on
                      --commit with these patterns, instead of running it here
  -- <options>        passed to stryker run (default --concurrency 1)`;

const separator = process.argv.indexOf('--', 2);
const ownArgs = separator === -1 ? process.argv.slice(2) : process.argv.slice(2, separator);
const strykerArgs = separator === -1 ? [] : process.argv.slice(separator + 1);
process.argv.splice(2, process.argv.length, ...ownArgs);
const { values, positionals } = parseCommandLine(
  USAGE,
  {
    name: { type: 'string' },
    commit: { type: 'string', default: 'HEAD' },
    baseline: { type: 'string', default: 'reports/stryker-incremental.json' },
    from: { type: 'string' },
    stale: { type: 'boolean', default: false },
  },
  true,
);
let patterns = positionals.flatMap(shardPatterns);
if ((patterns.length > 0) === values.stale) fail(USAGE, 2);
let name = values.name ?? patterns.join(',').replace(/\/\*\*\/\*\.ts/g, '').replace(/[^A-Za-z0-9._-]+/g, '-');

async function main(): Promise<number> {
  const commit = resolveCommit(values.commit);
  const baselinePath = join(repoRoot, values.baseline);
  if (values.stale) {
    const { stale } = await baselineState(baselinePath, exportCommit(commit), commit);
    if (stale.length === 0) {
      console.log(`shard: nothing at ${commit.slice(0, 12)} changed since the baseline`);
      return 0;
    }
    patterns = stale;
    name = values.name ?? `stale-at-${commit.slice(0, 12)}`;
  }
  const files = await productFiles(patterns, commit);
  if (files.length === 0) fail(`no product file at ${commit.slice(0, 12)} matches ${patterns.join(', ')}`, 2);
  // Read before the run: a baseline that is not a report stops here, not an hour later.
  readReportIfPresent(baselinePath);

  const dir = exportCommit(commit);
  const startedAt = new Date();
  const workFile = values.from === undefined ? await runShard(commit, dir, baselinePath) : resolve(values.from);
  if (workFile === undefined) return 1;
  const finishedAt = values.from === undefined ? new Date() : statSync(workFile).mtime;

  const run = readReport(workFile);
  // Read again: the baseline is what is committed now, not what it was an hour ago.
  const baseline = readReportIfPresent(baselinePath);
  const inShard = fileMatcher(patterns);
  const merged = mergeShard(baseline, run, { inShard, exists: (file) => existsSync(join(dir, file)) });
  const shardMutants = Object.entries(merged.files).flatMap(([file, result]) => (inShard(file) ? result.mutants : []));
  const shardScore = scoreOf(shardMutants);
  const manifestPath = manifestPathFor(baselinePath);
  const manifest = withShard(readManifest(manifestPath), {
    name,
    patterns,
    commit,
    finishedAt: finishedAt.toISOString(),
    minutes: values.from === undefined ? Number(((finishedAt.getTime() - startedAt.getTime()) / 60_000).toFixed(1)) : null,
    files: Object.fromEntries(files.map((file) => [file, contentHash(readFileSync(join(dir, file), 'utf8'))])),
    mutants: shardMutants.length,
    score: Number.isNaN(shardScore.score) ? null : Number(shardScore.score.toFixed(2)),
  });
  writeJsonAtomically(baselinePath, merged);
  writeJsonAtomically(manifestPath, manifest);

  const { files: rows } = scoresByFolderAndFile(merged);
  console.log(`\n${formatRows(rows.filter((row) => inShard(row.path)))}`);
  const took = values.from === undefined ? ` in ${((finishedAt.getTime() - startedAt.getTime()) / 60_000).toFixed(1)} min` : '';
  console.log(
    `\nshard ${name} at ${commit.slice(0, 12)}: ${formatScore(shardScore.score)} (${shardScore.killed} killed, ${shardScore.timeout} timed out, ${shardScore.survived} survived, ${shardScore.noCoverage} without coverage, ${shardScore.invalid} not compiling)${took}; merged into ${relative(repoRoot, baselinePath)}`,
  );
  return 0;
}

/** Stryker over the shard, incrementally from a copy of the baseline; its report, or nothing when it did not finish. */
async function runShard(commit: string, dir: string, baselinePath: string): Promise<string | undefined> {
  const shardsDir = join(repoRoot, 'reports', 'mutation', 'shards');
  mkdirSync(shardsDir, { recursive: true });
  const workFile = join(shardsDir, `${name}.incremental.json`);
  rmSync(workFile, { force: true });
  if (existsSync(baselinePath)) writeJsonAtomically(workFile, withoutUnkilledStatic(readReport(baselinePath), fileMatcher(patterns)));
  const before = existsSync(workFile) ? statSync(workFile).mtimeMs : 0;
  console.log(`shard ${name}: ${patterns.join(', ')} at ${commit.slice(0, 12)} (${dir})`);
  const concurrency = strykerArgs.some((arg) => arg.startsWith('--concurrency')) ? [] : ['--concurrency', '1'];
  const code = await runStryker(dir, ['--incremental', '--incrementalFile', workFile, '--mutate', patterns.join(','), ...concurrency, ...strykerArgs]).exited;
  if (!existsSync(workFile) || statSync(workFile).mtimeMs === before) {
    console.error(`shard ${name}: Stryker ended (exit ${code}) without writing its report; the baseline is unchanged`);
    return undefined;
  }
  return workFile;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => fail(`shard ${name} failed: ${error instanceof Error ? error.message : String(error)}`),
);
