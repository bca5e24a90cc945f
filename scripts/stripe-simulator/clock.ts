// Simulated time: a base clock (real or injected by tests) plus an offset moved by advanceClock.

export type ClockListener = (nowSeconds: number) => void | Promise<void>;

export class Clock {
  private offsetSeconds = 0;
  private readonly listeners = new Set<ClockListener>();
  /** Set while work for objects on a test clock runs: they live at that clock's frozen time. */
  private frozenSeconds: number | undefined;

  constructor(private readonly base: () => number = Date.now) {}

  nowMs(): number {
    return this.frozenSeconds !== undefined ? this.frozenSeconds * 1000 : this.globalNowMs();
  }

  /** The simulator-wide time, whatever test clock work is running (retention, expiry, TTLs). */
  globalNowMs(): number {
    return this.base() + this.offsetSeconds * 1000;
  }

  globalNowSeconds(): number {
    return Math.floor(this.globalNowMs() / 1000);
  }

  /**
   * Runs `work` synchronously with `nowSeconds()` reading `seconds` (undefined: the simulator's
   * time), so everything it creates is stamped with a test clock's frozen time.
   */
  at<T>(seconds: number | undefined, work: () => T): T {
    if (seconds === undefined) return work();
    const outer = this.frozenSeconds;
    this.frozenSeconds = seconds;
    try {
      return work();
    } finally {
      this.frozenSeconds = outer;
    }
  }

  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  get offset(): number {
    return this.offsetSeconds;
  }

  setOffset(seconds: number): void {
    this.offsetSeconds = seconds;
  }

  /** Moves simulated time forward and lets time-driven resources (renewals, expiry) catch up. */
  async advance(seconds: number): Promise<number> {
    if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError('seconds must be a non-negative number');
    this.offsetSeconds += seconds;
    const now = this.globalNowSeconds();
    for (const listener of this.listeners) await listener(now);
    return now;
  }

  onAdvance(listener: ClockListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
