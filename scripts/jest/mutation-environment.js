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
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import EmulatorAwareEnvironment from './environment.js';
import { coverageByFilePath, mutantRunState } from './mutation-sequencer.js';

function skipRemaining(block) {
  for (const child of block.children) {
    if (child.type === 'describeBlock') skipRemaining(child);
    else if (child.status == null) child.mode = 'skip';
  }
}

export default class MutationRunEnvironment extends EmulatorAwareEnvironment {
  constructor(config, context) {
    super(config, context);
    this.testPath = context.testPath;
    this.rootDir = config.projectConfig.rootDir;
    this.testIds = new Set();
  }

  async handleTestEvent(event, state) {
    await super.handleTestEvent(event, state);
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
    const perTest = this.global.__stryker__?.mutantCoverage?.perTest;
    if (!process.env.__STRYKER_ACTIVE_MUTANT__ && perTest && this.testIds.size > 0) {
      const path = coverageByFilePath(this.rootDir);
      const byMutant = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
      for (const testId of this.testIds) {
        for (const mutantId of Object.keys(perTest[testId] ?? {})) {
          const files = (byMutant[mutantId] ??= []);
          if (!files.includes(this.testPath)) files.push(this.testPath);
        }
      }
      writeFileSync(path, JSON.stringify(byMutant));
    }
    await super.teardown();
  }
}
