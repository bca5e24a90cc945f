import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFixture } from './run-fixture';

// The mutation run's jest set-up (stryker.config.mjs) without Stryker: __STRYKER_ACTIVE_MUTANT__
// makes it a mutant run, and with no coverage record the sequencer keeps both files, smaller first.
const mutationRun = ['--verbose', '--testEnvironment', './scripts/jest/mutation-environment.js', '--testSequencer', './scripts/jest/mutation-sequencer.js'];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mutation-runner-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('does not load the files after the one that killed the mutant', async () => {
  const marker = join(dir, 'loaded');
  const run = await runFixture('mutant-*.fixture.ts', { __STRYKER_ACTIVE_MUTANT__: '1', MUTATION_FIXTURE_MARKER: marker }, 45_000, [...mutationRun, '--runner', './scripts/jest/mutation-runner.js']);
  expect(run.output).toContain('✕ fails');
  expect(run.output).not.toContain('mutant-after-kill.fixture.ts');
  expect(existsSync(marker)).toBe(false);
  expect(run.code).toBe(1);
}, 60_000);

it('loads them with jest’s own runner, the environment’s bail only skipping their tests', async () => {
  const marker = join(dir, 'loaded');
  const run = await runFixture('mutant-*.fixture.ts', { __STRYKER_ACTIVE_MUTANT__: '1', MUTATION_FIXTURE_MARKER: marker }, 45_000, mutationRun);
  expect(run.output).toContain('✕ fails');
  expect(run.output).toMatch(/Tests: +1 failed, 1 skipped, 2 total/);
  expect(existsSync(marker)).toBe(true);
}, 60_000);

it('runs every file outside a mutant run', async () => {
  const marker = join(dir, 'loaded');
  const env: Record<string, string> = { MUTATION_FIXTURE_MARKER: marker };
  const run = await runFixture('mutant-*.fixture.ts', env, 45_000, [...mutationRun, '--runner', './scripts/jest/mutation-runner.js']);
  expect(run.output).toContain('✕ fails');
  expect(run.output).toContain('✓ passes');
  expect(existsSync(marker)).toBe(true);
}, 60_000);
