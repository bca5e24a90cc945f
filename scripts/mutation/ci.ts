// `npm run test:mutation:ci`: CI's mutation check (.ci/run, after npm test). Stryker runs
// incrementally against the committed baseline over the files the baseline's shards measured, so
// only mutants in changed code (or covered by changed tests) run again; the check fails when the
// score over those files drops below the goal, when Stryker cannot run, or when the run outgrows
// its time (then the baseline needs refreshing). Product files no shard has measured are named,
// never left out in silence. See docs/adr/0010-mutation-testing.md.
import { copyFileSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fail, parseCommandLine } from '../ops/cli';
import { repoRoot } from '../lib/resources';
import { baselineState } from './baseline-state';
import { formatRows, formatScore, mergeShard, readReport, scoreOf, scoresByFolderAndFile } from './incremental-report';
import { runStryker } from './workspace';

const USAGE = `Usage: npm run test:mutation:ci [-- --break <percent>] [--minutes <n>] [--baseline <file>]

Runs Stryker incrementally against the committed baseline over the files it has measured, and fails
below --break (default 85) or past --minutes (default 25).`;

const { values } = parseCommandLine(USAGE, {
  break: { type: 'string', default: '85' },
  minutes: { type: 'string', default: '25' },
  baseline: { type: 'string', default: 'reports/stryker-incremental.json' },
});
const breakAt = Number(values.break);
const minutes = Number(values.minutes);
if (!(breakAt >= 0 && breakAt <= 100) || !(minutes > 0)) fail(USAGE, 2);

async function main(): Promise<number> {
  const baselinePath = join(repoRoot, values.baseline);
  if (!existsSync(baselinePath)) {
    console.error(`mutation: no baseline at ${values.baseline}; build one with npm run test:mutation:shard (docs/adr/0010-mutation-testing.md)`);
    return 1;
  }
  // Only what changed runs: Stryker's initial run alone (every test related to the files it
  // mutates, with coverage) would otherwise cost most of the suite on every build.
  const { baseline, manifest, inShards, measured, unmeasured, stale, read } = await baselineState(baselinePath, repoRoot);
  if (measured.length === 0) {
    console.error('mutation: the baseline covers no product file of this tree');
    return 1;
  }
  console.log(`mutation: ${measured.length} product file(s) in the baseline (${manifest.shards.length} shard(s)), ${stale.length} changed since, ${unmeasured.length} not measured yet`);
  for (const file of stale) console.log(`  changed: ${file}`);

  const started = Date.now();
  let report = baseline;
  if (stale.length > 0) {
    const work = join(repoRoot, 'reports', 'mutation', 'ci.incremental.json');
    mkdirSync(join(repoRoot, 'reports', 'mutation'), { recursive: true });
    rmSync(work, { force: true });
    copyFileSync(baselinePath, work);
    const before = statSync(work).mtimeMs;
    const run = runStryker(repoRoot, ['--incremental', '--incrementalFile', work, '--mutate', stale.join(',')]);
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      run.exited.then((code) => ({ code })),
      new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), minutes * 60_000);
      }),
    ]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      run.stop();
      await run.exited;
      console.error(
        `mutation: the incremental run took longer than ${minutes} min: too much changed since the baseline. Measure the changed files again (npm run test:mutation:shard -- --stale) and commit the baseline.`,
      );
      return 1;
    }
    if (!existsSync(work) || statSync(work).mtimeMs === before) {
      console.error(`mutation: Stryker ended (exit ${outcome.code}) without a report; the mutation check did not run`);
      return outcome.code === 0 ? 1 : outcome.code;
    }
    report = mergeShard(baseline, readReport(work), { inShard: (file) => stale.includes(file), exists: (file) => read(file) !== undefined });
  }

  const { folders } = scoresByFolderAndFile({ ...report, files: Object.fromEntries(Object.entries(report.files).filter(([file]) => inShards(file))) });
  const score = scoreOf(Object.entries(report.files).flatMap(([file, { mutants }]) => (inShards(file) ? mutants : [])));
  console.log(`\n${formatRows(folders)}`);
  if (unmeasured.length > 0) {
    // By folder: the files themselves are listed by npm run test:mutation:score.
    const byFolder = new Map<string, number>();
    for (const file of unmeasured) byFolder.set(dirname(file), (byFolder.get(dirname(file)) ?? 0) + 1);
    const folders = [...byFolder].sort(([a], [b]) => (a < b ? -1 : 1)).map(([folder, count]) => `  ${folder} (${count})`);
    console.log(`\nnot measured (no baseline yet, ${unmeasured.length} file(s) in ${byFolder.size} folder(s)):\n${folders.join('\n')}`);
  }
  const took = ((Date.now() - started) / 60_000).toFixed(1);
  const summary = `mutation score ${formatScore(score.score)} over ${measured.length} file(s) in ${took} min (break at ${breakAt}%); ${stale.length > 0 ? 'report in reports/mutation/ci.incremental.json' : 'nothing changed, the baseline holds'}`;
  if (!(score.score >= breakAt)) {
    console.error(`\n${summary}: below the goal. Kill the survivors (npm run test:mutation:score${stale.length > 0 ? ' -- reports/mutation/ci.incremental.json' : ''}) or give each a written reason.`);
    return 1;
  }
  console.log(`\n${summary}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => fail(`mutation: ${error instanceof Error ? error.message : String(error)}`),
);
