/** New identifiers for our own records. */
export interface IdGenerator {
  /** A unique id whose lexical order follows creation time (to the millisecond). */
  timeOrderedId(): string;
}

export const ID_GENERATOR = Symbol.for('IdGenerator');
