// Where a baseline shard runs: a clean copy of one commit, not the working tree. A shard takes up
// to an hour, and the tree meanwhile holds other people's unfinished edits (which might not even
// compile, failing the initial test run); the baseline has to say which code it measured.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as v from 'valibot';
import { repoRoot } from '../lib/resources';
import { fileMatcher } from './file-patterns';

function git(args: string[], cwd = repoRoot): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr.trim() || `exit ${result.status}`}`);
  return result.stdout.trim();
}

export function resolveCommit(rev: string): string {
  return git(['rev-parse', '--verify', `${rev}^{commit}`]);
}

/**
 * The commit's tree under the system's temporary folder, with this clone's node_modules hard-linked
 * in (a second or two, no copy of the bytes). Not a symlink: Stryker links only a real node_modules
 * folder into its sandboxes, and tests that read a package's files from the project's node_modules
 * would not find them there.
 */
export function exportCommit(commit: string): string {
  const dir = join(tmpdir(), `mutation-shard-${commit.slice(0, 12)}`);
  if (!existsSync(join(dir, 'package.json'))) {
    mkdirSync(dir, { recursive: true });
    const archive = spawnSync('sh', ['-c', `git archive ${commit} | tar -x -C "$0"`, dir], { cwd: repoRoot, encoding: 'utf8' });
    if (archive.status !== 0) throw new Error(`could not export ${commit}: ${archive.stderr.trim()}`);
  }
  if (!existsSync(join(dir, 'node_modules'))) {
    const link = spawnSync('cp', ['-al', join(repoRoot, 'node_modules'), join(dir, 'node_modules')], { encoding: 'utf8' });
    if (link.status !== 0) throw new Error(`could not link node_modules into ${dir}: ${link.stderr.trim()}`);
  }
  return dir;
}

const MutateConfig = v.object({ default: v.looseObject({ mutate: v.array(v.string()) }) });

/** stryker.config.mjs's `mutate`: what counts as product code. */
export async function productPatterns(): Promise<string[]> {
  return v.parse(MutateConfig, await import(join(repoRoot, 'stryker.config.mjs'))).default.mutate;
}

/** The product files of a commit (or of the working tree, without one) that `patterns` name. */
export async function productFiles(patterns: readonly string[], commit?: string): Promise<string[]> {
  const isProduct = fileMatcher(await productPatterns());
  const inPatterns = fileMatcher(patterns);
  const listed = commit === undefined ? git(['ls-files', '--cached', '--others', '--exclude-standard']) : git(['ls-tree', '-r', '--name-only', commit]);
  return listed
    .split('\n')
    .filter((file) => isProduct(file) && inPatterns(file) && (commit !== undefined || existsSync(join(repoRoot, file))))
    .sort();
}

/**
 * `stryker run <args>` in `cwd`, its output passed through. The emulators come from this clone's
 * .tools (stryker.config.mjs), which a copy does not have.
 */
export function runStryker(cwd: string, args: readonly string[]): { exited: Promise<number>; stop(): void } {
  const bin = join(repoRoot, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
  const child = spawn(process.execPath, [bin, 'run', ...args], { cwd, stdio: 'inherit', env: { ...process.env, TOOLS_DIR: process.env.TOOLS_DIR ?? join(repoRoot, '.tools') } });
  // Stopped, Stryker stops its checker, runners and their emulators itself; a run stuck past that is killed.
  let killer: NodeJS.Timeout | undefined;
  const stop = () => {
    child.kill('SIGTERM');
    killer ??= setTimeout(() => child.kill('SIGKILL'), 30_000);
  };
  const forward = () => stop();
  process.once('SIGINT', forward);
  process.once('SIGTERM', forward);
  const exited = new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(killer);
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
  return { exited, stop };
}
