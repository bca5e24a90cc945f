// Prints one plain closing line ("tests: N passed, N failed, N skipped") that any CI log reader can parse.
export default class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failedSuites = results.numFailedTestSuites + results.numRuntimeErrorTestSuites;
    if (failedSuites > 0) {
      process.stdout.write(`\nsuites: ${failedSuites} failed to run or had failures\n`);
    }
    const failed = results.numFailedTests + (results.numRuntimeErrorTestSuites > 0 && results.numFailedTests === 0 ? results.numRuntimeErrorTestSuites : 0);
    process.stdout.write(
      `\ntests: ${results.numPassedTests} passed, ${failed} failed, ${results.numPendingTests + results.numTodoTests} skipped\n`,
    );
  }
}
