// Mutation testing of the product code (npm run test:mutation; docs/adr/0010-mutation-testing.md).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));

// Each sandbox is a copy of the tree without .tools (hundreds of MB of virtualenvs); the emulators
// the suites start are found through this instead (scripts/testing/tools.ts). Test runners are
// child processes of this one and inherit it.
process.env.TOOLS_DIR ??= join(root, '.tools');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: ['services/*/src/**/*.ts', 'shared/src/**/*.ts'],
  // A copy, not in place: the working tree stays usable (and unmutated) while a run takes its time,
  // and a run that is killed leaves no mutant behind in the sources.
  inPlace: false,
  ignorePatterns: ['.tools', '.data', 'dist', 'coverage', 'reports', '.hypothesis', 'bench', '.terraform'],

  testRunner: 'jest',
  testRunnerNodeArgs: ['--experimental-vm-modules', '--no-warnings'],
  jest: {
    configFile: 'jest.config.js',
    // The tests of the product code: its unit, contract, integration and end-to-end suites, not
    // those of the dev tools and the simulator (scripts/). Schemathesis is left out: one test of
    // ~40 s that covers nearly every handler line would run for each of those mutants it does not
    // kill, and what it checks (answers conform to the OpenAPI document) the other suites check too.
    // scripts/ stays a root all the same: the end-to-end suites reach the handlers through the
    // local stack there, and jest follows imports only between files under its roots.
    config: {
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/scripts/', '/schemathesis\\.e2e\\.test\\.ts$'],
      // The usual environment with a bail, and the cheapest files first (see each file). Stryker
      // wraps the environment to record per-test coverage and resolves it itself, without
      // expanding <rootDir>: so relative to the sandbox.
      testEnvironment: './scripts/jest/mutation-environment.js',
      testSequencer: '<rootDir>/scripts/jest/mutation-sequencer.js',
      // Once a mutant is killed, the files after it are not loaded (see the file).
      runner: '<rootDir>/scripts/jest/mutation-runner.js',
    },
    // Only the test files that import the mutated file, then only the tests that covered the
    // mutant (coverageAnalysis perTest); the dependency extractor makes the first complete.
    enableFindRelatedTests: true,
  },
  coverageAnalysis: 'perTest',
  // Static mutants (module-level values: tables, sets, schemas) are run, by the whole of each file
  // that loaded them in the initial run, cheapest first with the bail (mutation-environment.js):
  // most die in the unit test of their table. Ignoring them would not leave them out: Stryker runs a
  // static mutant that some file also reached inside a test (a handler loaded by computed path) with
  // only those tests, which check other things, and it counts as survived.
  ignoreStatic: false,

  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.mutation.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },

  // Two cores: the runners share them with the emulators each suite starts.
  concurrency: 2,
  // jest run after jest run in one process keeps every run's ES modules: past a few hundred runs
  // the heap reaches its limit, and GC pauses turn into false timeouts. A fresh runner costs ~3 s.
  maxTestRunnerReuse: 40,
  // Emulator start-up varies with load; a mutant is a timeout only well past a normal run.
  timeoutMS: 20_000,
  timeoutFactor: 2,
  // The initial run is every test that imports a mutated file, with coverage, in one jest process:
  // for shared/ that is nearly the whole suite, past Stryker's default of 5 minutes on a loaded machine.
  dryRunTimeoutMinutes: 30,

  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, reportTests: false, reportMutants: false, reportScoreTable: true },
  incrementalFile: 'reports/stryker-incremental.json',
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
