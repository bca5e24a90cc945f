// Stripe's default live limits are 100 operations per second; test mode allows 25 reads and 25
// writes per second. Off unless asked for, so tests are not throttled by accident.

export interface RateLimitOptions {
  readPerSecond: number;
  writePerSecond: number;
}

export const TEST_MODE_LIMITS: RateLimitOptions = { readPerSecond: 25, writePerSecond: 25 };

export class RateLimiter {
  private windowStart = 0;
  private reads = 0;
  private writes = 0;

  constructor(
    public limits: RateLimitOptions | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a request; false when it is over the limit for the current one-second window. */
  allow(method: string): boolean {
    if (!this.limits) return true;
    const second = Math.floor(this.now() / 1000);
    if (second !== this.windowStart) {
      this.windowStart = second;
      this.reads = 0;
      this.writes = 0;
    }
    if (method === 'GET') return ++this.reads <= this.limits.readPerSecond;
    return ++this.writes <= this.limits.writePerSecond;
  }
}
