// Simulated time: a base clock (real or injected by tests) plus an offset moved by advanceClock.

export type ClockListener = (nowSeconds: number) => void | Promise<void>;

export class Clock {
  private offsetSeconds = 0;
  private readonly listeners = new Set<ClockListener>();

  constructor(private readonly base: () => number = Date.now) {}

  nowMs(): number {
    return this.base() + this.offsetSeconds * 1000;
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
    const now = this.nowSeconds();
    for (const listener of this.listeners) await listener(now);
    return now;
  }

  onAdvance(listener: ClockListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
