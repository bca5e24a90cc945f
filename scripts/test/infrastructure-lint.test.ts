// Linters of the infrastructure code, pinned and installed by `node scripts/ensure-tools.mjs test`:
// actionlint on the GitHub workflows (with shellcheck on every `run:` script) and tflint with its
// default preset on every Terraform folder. Both must report nothing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../lib/resources';
import { requireTool } from '../testing/tools';

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 300_000, env: { ...process.env, TFLINT_LOG: '' } });
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

const actionlint = (cwd: string, files: string[] = []) => run(requireTool('actionlint'), ['-no-color', `-shellcheck=${requireTool('shellcheck')}`, ...files], cwd);

describe('actionlint', () => {
  it('finds nothing in .github/workflows, shellcheck included', () => {
    expect(actionlint(repoRoot)).toEqual({ status: 0, output: '' });
  }, 300_000);

  it('catches a broken workflow and a shell mistake in a run script', () => {
    // Proof that the check above can fail: the same binaries on a workflow with known faults.
    const dir = mkdtempSync(join(tmpdir(), 'actionlint-'));
    try {
      const workflow = join(dir, 'broken.yml');
      writeFileSync(
        workflow,
        ['on: push', 'jobs:', '  build:', '    runs-on: ubuntu-latest', '    steps:', '      - run: echo ${{ github.nonexistent }}', '      - run: cd $UNQUOTED_DIR', ''].join('\n'),
      );
      const result = actionlint(dir, [workflow]);
      expect(result.status).not.toBe(0);
      expect(result.output).toContain('property "nonexistent" is not defined');
      expect(result.output).toMatch(/shellcheck reported issue/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});

describe('tflint (default preset)', () => {
  it('finds nothing in terraform/', () => {
    expect(run(requireTool('tflint'), ['--recursive', '--no-color', '--chdir', join(repoRoot, 'terraform')], repoRoot)).toEqual({ status: 0, output: '' });
  }, 300_000);
});
