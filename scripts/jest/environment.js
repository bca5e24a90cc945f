// Node's test environment, plus one duty: emulators a test file started and did not stop (a
// beforeAll that failed halfway, a forgotten afterAll) are stopped when the file ends, and the file
// fails naming them. A leaked emulator would otherwise keep the run from ever exiting.
import { TestEnvironment } from 'jest-environment-node';

export default class EmulatorAwareEnvironment extends TestEnvironment {
  async handleTestEvent(event, state) {
    if (event.name !== 'run_finish') return;
    const running = this.global.__runningEmulators;
    if (!running || running.size === 0) return;
    const leaked = [...running];
    await Promise.allSettled(leaked.map((emulator) => emulator.stop()));
    const list = leaked.map((e) => `  ${e.name} at ${e.endpoint}, started\n${e.startedAt.replace(/^/gm, '    ')}`).join('\n');
    state.unhandledErrors.push(
      new Error(`${leaked.length} emulator(s) were still running when the file ended (now stopped); stop each one in afterAll, or start them together with startEmulators():\n${list}`),
    );
  }

  async teardown() {
    // One whose start was still under way when the file ended registers only now.
    const late = [...(this.global.__runningEmulators ?? [])];
    await Promise.allSettled(late.map((emulator) => emulator.stop()));
    if (late.length > 0) process.stderr.write(`stopped ${late.map((e) => `${e.name} at ${e.endpoint}`).join(', ')}, started after the test file ended\n`);
    await super.teardown();
  }
}
