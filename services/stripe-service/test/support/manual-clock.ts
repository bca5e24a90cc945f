import type { Clock } from '../../src/application/ports/clock';

/** A clock tests move by hand; `sleep` advances it and yields so other tasks run. */
export class ManualClock implements Clock {
  constructor(private time = Date.parse('2026-01-01T00:00:00Z')) {}

  now(): number {
    return this.time;
  }

  async sleep(ms: number): Promise<void> {
    this.time += ms;
    await new Promise((resolve) => setImmediate(resolve));
  }

  advance(ms: number): void {
    this.time += ms;
  }
}

/** A ManualClock that records each sleep, and lets a test act after the nth (another writer finishing, say). */
export class RecordingClock extends ManualClock {
  readonly sleeps: number[] = [];
  afterSleep: (count: number) => Promise<void> = async () => undefined;

  override async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    await super.sleep(ms);
    await this.afterSleep(this.sleeps.length);
  }
}
