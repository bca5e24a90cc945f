export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const CLOCK = Symbol.for('Clock');
