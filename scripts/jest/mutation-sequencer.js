// The files of a mutation run's jest run (stryker.config.mjs), and their order. During a mutant run
// (Stryker sets __STRYKER_ACTIVE_MUTANT__): only the files holding tests that covered the mutant in
// the initial run (recorded by mutation-environment.js), cheapest first, so that with its bail a
// mutant a unit test kills costs a unit test, not the end-to-end suites jest's default order
// (slowest first) would start before it. It also opens the state that bail keeps for one jest
// run: jest sorts once per run, and Stryker makes one run per mutant.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Sequencer from '@jest/test-sequencer';

const STATE = Symbol.for('stripe-payments-service.mutant-run');
const COVERAGE = Symbol.for('stripe-payments-service.mutant-coverage');

/** The current run's state, shared by the environments of its files (they load in this realm). */
export function mutantRunState() {
  return globalThis[STATE];
}

/** Mutant id to the test files that covered it; inside the sandbox, so it goes with it. */
export function coverageByFilePath(rootDir) {
  return join(rootDir, '.mutation-coverage-by-file.json');
}

/**
 * With MUTATION_TIMING=<file>, one JSON line per step of each jest run (its files sorted, each file
 * constructed, started, finished, torn down) with a timestamp: where a mutant's time goes, summed
 * up by scripts/jest/mutation-timing.mjs.
 */
export function recordTiming(step, fields = {}) {
  const path = process.env.MUTATION_TIMING;
  if (path) appendFileSync(path, `${JSON.stringify({ at: Date.now(), mutant: process.env.__STRYKER_ACTIVE_MUTANT__, step, ...fields })}\n`);
}

function coveringFiles(rootDir, mutantId) {
  if (!globalThis[COVERAGE]) {
    const path = coverageByFilePath(rootDir);
    // Read once per runner process: the initial run has finished before any mutant runs.
    globalThis[COVERAGE] = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
  }
  return globalThis[COVERAGE][mutantId];
}

// shared/'s tests are unit tests too: ranked after every unit file of the services, a static
// mutant in shared/ (a table every handler loads) ran dozens of handler tests before its own.
const KINDS = [['/test/unit/', '/shared/test/'], ['/test/integration/'], ['/test/contract/'], ['/test/e2e/']];

function rank(path) {
  const index = KINDS.findIndex((kinds) => kinds.some((kind) => path.includes(kind)));
  return index === -1 ? KINDS.length : index;
}

const BaseSequencer = Sequencer.default ?? Sequencer;

export default class MutationRunSequencer extends BaseSequencer {
  sort(tests) {
    recordTiming('sort', { files: tests.length });
    globalThis[STATE] = { killed: false };
    const size = (test) => test.context.hasteFS.getSize(test.path) ?? 0;
    const sorted = [...tests].sort((a, b) => rank(a.path) - rank(b.path) || size(a) - size(b) || (a.path < b.path ? -1 : 1));
    const mutantId = process.env.__STRYKER_ACTIVE_MUTANT__;
    if (mutantId === undefined || sorted.length === 0) return sorted;
    const files = coveringFiles(sorted[0].context.config.rootDir, mutantId);
    // A mutant without a record (none of the initial run's files reached it) keeps every file.
    if (!files) return sorted;
    const covering = sorted.filter((test) => files.includes(test.path));
    return covering.length > 0 ? covering : sorted;
  }
}
