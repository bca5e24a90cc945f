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
