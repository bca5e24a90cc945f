// The test environment of the mutation run (stryker.config.mjs): the usual one, plus a bail that
// Stryker's jest runner cannot ask jest for (jest's own `bail` exits the process). One failing test
// kills a mutant; every test after it, in this file or the next, would only cost time. So during a
// mutant run (Stryker sets __STRYKER_ACTIVE_MUTANT__; the initial run, which measures coverage,
// runs everything) the first failure marks the rest skipped: later tests do not start, later
// describe blocks and files do not run their beforeAll (no emulators started for nothing), and
// the afterAll of what did start still runs.
import EmulatorAwareEnvironment from './environment.js';
import { mutantRunState } from './mutation-sequencer.js';

function skipRemaining(block) {
  for (const child of block.children) {
    if (child.type === 'describeBlock') skipRemaining(child);
    else if (child.status == null) child.mode = 'skip';
  }
}

export default class MutationRunEnvironment extends EmulatorAwareEnvironment {
  async handleTestEvent(event, state) {
    await super.handleTestEvent(event, state);
    const run = mutantRunState();
    if (!run || !process.env.__STRYKER_ACTIVE_MUTANT__) return;
    if (event.name === 'run_start' && run.killed) skipRemaining(state.rootDescribeBlock);
    if (event.name === 'test_done' && event.test.errors.length > 0) {
      run.killed = true;
      skipRemaining(state.rootDescribeBlock);
    }
  }
}
