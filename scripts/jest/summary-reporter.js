// Prints one plain closing line ("tests: N passed, N failed, N skipped") that any CI log reader can
// parse. It is written when the process exits, so it stays the last line, after jest's own summary.
// Before it come the checks that did not run and why: skipped for a tool missing on this machine
// (titled "(not run: …)", see scripts/testing/tools.ts), skipped in the code, or failed because a
// tool is missing. A check that did not run is never only a number.
//
// It also bounds the wait for the process to exit: a handle a test leaked would otherwise keep a
// run in band (one worker, as on a 2-core machine) alive for ever.
import { relative } from 'node:path';

const NOT_RUN = /\(not run: (.+)\)$/;
const MISSING_TOOL = /MissingToolError: ([^\n]+)/;

export default class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
    // With -t, every test outside the pattern counts as skipped: listing them would bury the rest.
    this.filtered = Boolean(globalConfig.testNamePattern);
  }

  onRunComplete(_contexts, results) {
    // A suite that failed to load counts as a failure even though no test inside it ran.
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    const text = `${this.listing(results)}tests: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`;
    process.once('exit', () => process.stdout.write(text));

    const graceMs = Number(process.env.JEST_EXIT_GRACE_MS ?? 15_000);
    const timer = setTimeout(() => {
      process.stderr.write(
        `\n[jest] the run ended ${graceMs / 1000} s ago but something a test left open (a server, a child process, a timer) keeps the process alive; exiting. Find it with --detectOpenHandles.\n`,
      );
      // jest has set the run's exit code for the 'exit' event; process.exit keeps it.
      process.exit();
    }, graceMs);
    timer.unref();
  }

  listing(results) {
    const notRun = new Map();
    const skippedInCode = [];
    const missingTools = new Map();
    const add = (map, key, value) => map.set(key, [...(map.get(key) ?? []), value]);
    for (const file of results.testResults) {
      const path = relative(this.rootDir, file.testFilePath);
      for (const test of file.testResults) {
        const name = [...test.ancestorTitles, test.title].join(' › ');
        if (test.status === 'pending' || test.status === 'todo' || test.status === 'skipped' || test.status === 'disabled') {
          const reason = NOT_RUN.exec(test.title);
          if (reason) add(notRun, reason[1], `${path} › ${name.replace(NOT_RUN, '').trimEnd()}`);
          else skippedInCode.push(`${path} › ${name}${test.status === 'todo' ? ' (todo)' : ''}`);
        } else if (test.status === 'failed') {
          const missing = MISSING_TOOL.exec(test.failureMessages.join('\n'));
          if (missing) add(missingTools, missing[1], `${path} › ${name}`);
        }
      }
      const execMissing = MISSING_TOOL.exec(`${file.testExecError?.message ?? ''}\n${file.testExecError?.stack ?? ''}`);
      if (execMissing) add(missingTools, execMissing[1], `${path} (the whole file)`);
    }
    const lines = [];
    const section = (title, groups) => {
      for (const [reason, checks] of groups) {
        lines.push(`${title}: ${reason} (${checks.length})`);
        for (const check of checks) lines.push(`  - ${check}`);
      }
    };
    section('not run, a tool is missing', notRun);
    section('failed, a tool is missing', missingTools);
    if (skippedInCode.length > 0 && !this.filtered) section('skipped', new Map([['by the test code', skippedInCode]]));
    return lines.length > 0 ? `\n${lines.join('\n')}\n` : '';
  }
}
