/** Time, injectable so tests control it. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Waits `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
}

export const CLOCK = Symbol.for('Clock');
