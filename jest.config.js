// One jest run covers every test in the repository: unit, contract (on emulators) and end to end.

export default {
  // Node's environment, which also stops emulators a file left running and fails that file.
  testEnvironment: '<rootDir>/scripts/jest/environment.js',
  roots: ['<rootDir>/services', '<rootDir>/shared', '<rootDir>/scripts'],
  testMatch: ['**/test/**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': '<rootDir>/scripts/jest/esbuild-transform.js' },
  moduleNameMapper: { '^@shared/(.*)$': '<rootDir>/shared/src/$1' },
  // So that --findRelatedTests (and the mutation run, which relies on it) sees the handlers the
  // local stack loads by a computed path.
  dependencyExtractor: '<rootDir>/scripts/jest/dependency-extractor.cjs',
  setupFiles: ['<rootDir>/scripts/jest/setup-env.js'],
  setupFilesAfterEnv: ['<rootDir>/scripts/jest/require-assertions.js'],
  testTimeout: 30_000,
  // Emulator-backed suites start their own servers on free ports, so files can run in parallel.
  maxWorkers: process.env.JEST_MAX_WORKERS ?? '50%',
  reporters: ['default', '<rootDir>/scripts/jest/summary-reporter.js'],
};
