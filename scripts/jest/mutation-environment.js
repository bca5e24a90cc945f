// The test environment of the mutation run (stryker.config.mjs): the usual one, plus two things
// Stryker's jest runner does not do.
// - Bail (jest's own `bail` exits the process): one failing test kills a mutant, and every test
//   after it, in this file or the next, would only cost time. During a mutant run (Stryker sets
//   __STRYKER_ACTIVE_MUTANT__) the first failure marks the rest skipped: later tests do not start,
//   later describe blocks and files do not run their beforeAll (no emulators started for nothing),
//   and the afterAll of what did start still runs.
// - Which files cover which mutant: the runner selects tests by name only, so jest still loads
//   every file that imports the mutated one, and loading an end-to-end file (the whole local
//   stack) costs more than most tests. The initial run, which measures per-test coverage, records
//   the files each mutant's tests are in; mutation-sequencer.js then runs only those files.
//   Module-level code (tables, schemas) runs outside any test, when a file loads its imports or in
//   a beforeAll: a mutant there counts as covered by each file that ran it so (Stryker's count of
//   "static" coverage grew while the file ran), or a unit test of a table would never see the
//   mutants planted in it whenever some other file happens to load that module inside a test.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import EmulatorAwareEnvironment from './environment.js';
import { coverageByFilePath, mutantRunState, recordTiming } from './mutation-sequencer.js';

function skipRemaining(block) {
  for (const child of block.children) {
    if (child.type === 'describeBlock') skipRemaining(child);
    else if (child.status == null) child.mode = 'skip';
  }
}

export default class MutationRunEnvironment extends EmulatorAwareEnvironment {
  constructor(config, context) {
    super(config, context);
    recordTiming('construct', { file: context.testPath });
    this.testPath = context.testPath;
    this.rootDir = config.projectConfig.rootDir;
    this.testIds = new Set();
    this.staticBefore = {};
  }

  async setup() {
    await super.setup();
    // Stryker's wrapper has set the shared instrumenter context by now; the file's imports load next.
    this.staticBefore = { ...(this.global.__stryker__?.mutantCoverage?.static ?? {}) };
  }

  async handleTestEvent(event, state) {
    await super.handleTestEvent(event, state);
    if (event.name === 'run_start' || event.name === 'run_finish') recordTiming(event.name);
    if (!process.env.__STRYKER_ACTIVE_MUTANT__) {
      // Stryker's wrapper sets the current test's id after this handler on test_start, and clears it after it on test_done.
      const testId = this.global.__stryker__?.currentTestId;
      if (event.name === 'test_done' && testId !== undefined) this.testIds.add(testId);
      return;
    }
    const run = mutantRunState();
    if (!run) return;
    if (event.name === 'run_start' && run.killed) skipRemaining(state.rootDescribeBlock);
    if (event.name === 'test_done' && event.test.errors.length > 0) {
      run.killed = true;
      skipRemaining(state.rootDescribeBlock);
    }
  }

  async teardown() {
    const coverage = this.global.__stryker__?.mutantCoverage;
    if (!process.env.__STRYKER_ACTIVE_MUTANT__ && coverage?.perTest && this.testIds.size > 0) {
      const covered = new Set();
      for (const testId of this.testIds) for (const mutantId of Object.keys(coverage.perTest[testId] ?? {})) covered.add(mutantId);
      for (const [mutantId, count] of Object.entries(coverage.static ?? {})) {
        if (count > (this.staticBefore[mutantId] ?? 0)) covered.add(mutantId);
      }
      const path = coverageByFilePath(this.rootDir);
      const byMutant = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
      for (const mutantId of covered) {
        const files = (byMutant[mutantId] ??= []);
        if (!files.includes(this.testPath)) files.push(this.testPath);
      }
      writeFileSync(path, JSON.stringify(byMutant));
    }
    await super.teardown();
    recordTiming('teardown');
  }
}
