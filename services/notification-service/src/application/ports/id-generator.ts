export interface IdGenerator {
  /** A new unique id (a claim token). */
  next(): string;
}

export const ID_GENERATOR = Symbol.for('IdGenerator');
