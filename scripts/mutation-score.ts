// `npm run test:mutation:score [-- <report>]`: the mutation score per folder and per file from
// the committed baseline (or any Stryker incremental or JSON report), and the product files no
// shard has measured yet, so that a gap in the baseline is always said, never silent.
import { join } from 'node:path';
import { fail, parseCommandLine } from './ops/cli';
import { repoRoot } from './lib/resources';
import { manifestPathFor, measuredBy, readManifest } from './mutation/baseline-shards';
import { formatRows, formatScore, readReport, scoresByFolderAndFile } from './mutation/incremental-report';
import { productFiles } from './mutation/workspace';

const USAGE = `Usage: npm run test:mutation:score [-- <report>] [--folders]

Prints the mutation score of each folder and each file in <report> (default
reports/stryker-incremental.json), then the product files it does not cover.

  --folders   folders only, no per-file rows`;

const { values, positionals } = parseCommandLine(USAGE, { folders: { type: 'boolean', default: false } }, true);
if (positionals.length > 1) fail(USAGE, 2);
const reportPath = join(repoRoot, positionals[0] ?? 'reports/stryker-incremental.json');

async function main(): Promise<number> {
  const report = readReport(reportPath);
  const { total, folders, files } = scoresByFolderAndFile(report);
  console.log(`per folder\n${formatRows(folders)}`);
  if (!values.folders) console.log(`\nper file\n${formatRows(files)}`);

  const manifest = readManifest(manifestPathFor(reportPath));
  const measured = measuredBy(manifest);
  const unmeasured = (await productFiles(['**'])).filter((file) => !(file in report.files) && !measured(file));
  console.log(
    `\ntotal: ${formatScore(total.score)} over ${files.length} file(s) (${total.killed} killed, ${total.timeout} timed out, ${total.survived} survived, ${total.noCoverage} without coverage, ${total.invalid} not compiling)`,
  );
  for (const shard of manifest.shards) console.log(`  shard ${shard.name}: ${Object.keys(shard.files).length} file(s) at ${shard.commit.slice(0, 12)}, ${shard.finishedAt}`);
  if (unmeasured.length > 0) console.log(`\nnot measured yet (${unmeasured.length} product file(s) in no shard):\n${unmeasured.map((file) => `  ${file}`).join('\n')}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => fail(`mutation score: ${error instanceof Error ? error.message : String(error)}`),
);
