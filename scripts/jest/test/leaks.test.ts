// What a test leaves running must not keep a jest run from ending. Each case runs a fixture in a jest
// of its own, in band, as on a machine with one worker, where a leak used to hang the run for good.
import { runFixture } from './run-fixture';

describe('a jest run with a leak still ends', () => {
  it('stops the emulator a half-failed start left running, and fails that file naming it', async () => {
    // A grace period longer than the limit: only the test environment's clean-up can end this run.
    const run = await runFixture('partial-start.fixture.ts', { JEST_EXIT_GRACE_MS: '120000' }, 45_000);
    expect(run.output).toContain('stripe-mock (/bin/false) did not start');
    expect(run.output).toMatch(/1 emulator\(s\) were still running when the file ended \(now stopped\)[\s\S]*dynalite at http:\/\/127\.0\.0\.1:\d+/);
    expect(run.output).toMatch(/tests: 0 passed, 2 failed, 0 skipped\n$/);
    expect(run.code).toBe(1);
  }, 60_000);

  it('exits a bounded time after the run when a test leaves a handle open, keeping the outcome', async () => {
    const run = await runFixture('open-handle.fixture.ts', { JEST_EXIT_GRACE_MS: '1000' }, 45_000);
    expect(run.output).toContain('keeps the process alive; exiting');
    expect(run.output).toMatch(/tests: 1 passed, 0 failed, 0 skipped\n$/);
    expect(run.code).toBe(0);
  }, 60_000);
});
