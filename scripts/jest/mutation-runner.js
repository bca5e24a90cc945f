// The test runner of the mutation run (stryker.config.mjs): jest's own, except that during a mutant
// run (Stryker sets __STRYKER_ACTIVE_MUTANT__), once a test has failed, the files after it are not
// loaded at all. mutation-environment.js's bail skips their tests, but only after jest has loaded
// the file, and loading an end-to-end file (the whole local stack's module graph, re-evaluated for
// each run) takes 1 to 10 s: a static mutant that its unit test killed in 60 ms still paid ~30 s to
// load a dozen end-to-end files that then ran nothing. Files are run one at a time, so the state
// the environment sets on a failure is seen before the next file starts.
import JestRunner from 'jest-runner';
import { mutantRunState } from './mutation-sequencer.js';

const BaseRunner = JestRunner.default ?? JestRunner;

export default class MutationTestRunner extends BaseRunner {
  async runTests(tests, watcher, options) {
    if (process.env.__STRYKER_ACTIVE_MUTANT__ === undefined || !options.serial) {
      return super.runTests(tests, watcher, options);
    }
    for (const test of tests) {
      // A file left out reports no result: Stryker counts the tests that ran, and one failed.
      if (mutantRunState()?.killed) return;
      await super.runTests([test], watcher, options);
    }
  }
}
