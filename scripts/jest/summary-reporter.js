// Prints one plain closing line ("tests: N passed, N failed, N skipped") that any CI log reader can
// parse. It is written when the process exits, so it stays the last line, after jest's own summary.
export default class SummaryReporter {
  onRunComplete(_contexts, results) {
    // A suite that failed to load counts as a failure even though no test inside it ran.
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `tests: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`;
    process.once('exit', () => process.stdout.write(line));
  }
}
