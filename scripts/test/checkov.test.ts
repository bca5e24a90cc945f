// The security and operations review of terraform/ by checkov (pinned, in its own venv under
// .tools, installed by `node scripts/ensure-tools.mjs test`): nothing may fail, and every check the
// code skips says why, inline, where it applies (`#checkov:skip=ID:reason`). A skip that no longer
// suppresses anything is stale and fails too, so the reasons stay true.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../lib/resources';
import { requireTool } from '../testing/tools';

const terraformRoot = join(repoRoot, 'terraform');

interface CheckResult {
  check_id: string;
  check_name: string;
  file_path: string;
  resource: string;
  check_result: { result: string; suppress_comment?: string };
}

interface Report {
  summary: { passed: number; failed: number; skipped: number; parsing_errors: number };
  results: { failed_checks: CheckResult[]; skipped_checks: CheckResult[] };
}

function tfFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (entry.startsWith('.')) return [];
    if (statSync(path).isDirectory()) return tfFiles(path);
    return entry.endsWith('.tf') ? [path] : [];
  });
}

let report: Report | undefined;

function review(): Report {
  if (report) return report;
  const result = spawnSync(requireTool('checkov'), ['--directory', terraformRoot, '--framework', 'terraform', '--skip-download', '--compact', '--output', 'json'], {
    encoding: 'utf8',
    // No telemetry, no policy download: the run depends on nothing but the pinned package.
    env: { ...process.env, BC_SKIP_MAPPING: 'TRUE', CHECKOV_RUN_SCA_PACKAGE_SCAN_V2: 'false', LOG_LEVEL: 'WARNING' },
    timeout: 300_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  // checkov exits 1 when a check fails; the report says which, so only a missing report is fatal here.
  if (!result.stdout.trim().startsWith('{')) throw new Error(`checkov produced no report (exit ${result.status}):\n${result.stderr}`);
  report = JSON.parse(result.stdout) as Report;
  return report;
}

describe('checkov on terraform/', () => {
  it('reads every file and fails no check', () => {
    const { summary, results } = review();
    expect(summary.parsing_errors).toBe(0);
    // A run that checked almost nothing would pass trivially.
    expect(summary.passed).toBeGreaterThan(200);
    expect(results.failed_checks.map((c) => `${c.check_id} ${c.check_name}: ${c.file_path} ${c.resource}`)).toEqual([]);
    expect(summary.failed).toBe(0);
  }, 300_000);

  it('skips only where a reason is given inline', () => {
    const { results } = review();
    expect(results.skipped_checks.length).toBeGreaterThan(0);
    for (const skipped of results.skipped_checks) {
      expect({ check: skipped.check_id, resource: skipped.resource, reason: (skipped.check_result.suppress_comment ?? '').length >= 40 }).toEqual({
        check: skipped.check_id,
        resource: skipped.resource,
        reason: true,
      });
    }
  }, 300_000);

  it('every inline skip still suppresses a finding in its file', () => {
    const { results } = review();
    const used = new Set(results.skipped_checks.map((c) => `${c.file_path.replace(/^\//, '')} ${c.check_id}`));
    const declared = tfFiles(terraformRoot).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/#checkov:skip=(CKV\w*_\d+):/g)].map((m) => `${relative(terraformRoot, file)} ${m[1]}`),
    );
    expect(declared.length).toBeGreaterThan(0);
    expect(declared.filter((skip) => !used.has(skip))).toEqual([]);
  }, 300_000);
});
