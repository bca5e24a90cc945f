// The file order of the mutation run (stryker.config.mjs): cheapest first, so that with the bail of
// mutation-environment.js a mutant a unit test kills costs a unit test, not the end-to-end suites
// jest's default order (slowest first) would start before it. It also opens the state that bail
// keeps for one jest run: jest sorts once per run, and Stryker makes one run per mutant.
import Sequencer from '@jest/test-sequencer';

const STATE = Symbol.for('stripe-payments-service.mutant-run');

/** The current run's state, shared by the environments of its files (they load in this realm). */
export function mutantRunState() {
  return globalThis[STATE];
}

const KINDS = ['/test/unit/', '/shared/test/', '/test/integration/', '/test/contract/', '/test/e2e/'];

function rank(path) {
  const index = KINDS.findIndex((kind) => path.includes(kind));
  return index === -1 ? KINDS.length : index;
}

const BaseSequencer = Sequencer.default ?? Sequencer;

export default class MutationRunSequencer extends BaseSequencer {
  sort(tests) {
    globalThis[STATE] = { killed: false };
    const size = (test) => test.context.hasteFS.getSize(test.path) ?? 0;
    return [...tests].sort((a, b) => rank(a.path) - rank(b.path) || size(a) - size(b) || (a.path < b.path ? -1 : 1));
  }
}
