/** A caller waiting for the answer to its entry. */
export interface Waiter<E, R> {
  readonly entry: E;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/** What one batch API allows in a call, and how a batcher makes its calls. */
export interface BatchCalls<E, R> {
  /** The most entries one call may carry. */
  maxEntries: number;
  /** With `bytesOf`, the most bytes of entries one call may carry; an entry larger than that goes alone. */
  maxBytes?: number;
  bytesOf?(entry: E): number;
  /** Entries share a call only with entries of the same group. */
  groupOf?(entry: E): string;
  /**
   * Entries with the same key are one entry: counted once against the limits, sent once as the later
   * of them, and its answer is every one's answer.
   */
  keyOf?(entry: E): string;
  /** The call for a turn whose only entry this is; without it, a turn of one is a batch of one. */
  sendAlone?(entry: E): Promise<R>;
  /**
   * One call for a chunk within the limits, answering each waiter (a refused entry fails only its
   * own). If it throws, every waiter of the chunk not yet answered fails with that error.
   */
  sendBatch(chunk: Waiter<E, R>[]): Promise<void>;
}

/**
 * Gathers the entries that callers start in the same turn of the event loop and sends them, once
 * that turn is over, as few batch calls as the limits allow, in the callers' order: a worker handles
 * the records of a batch concurrently, and each record's call joins the others' in one request.
 */
export class TurnBatcher<E, R> {
  private pending: Waiter<E, R>[] = [];

  constructor(private readonly calls: BatchCalls<E, R>) {}

  add(entry: E): Promise<R> {
    return new Promise((resolve, reject) => {
      if (this.pending.length === 0) setImmediate(() => this.flush());
      this.pending.push({ entry, resolve, reject });
    });
  }

  private flush(): void {
    const turn = this.pending;
    this.pending = [];
    const { sendAlone, sendBatch } = this.calls;
    const [only] = turn;
    if (only && turn.length === 1 && sendAlone) {
      promised(() => sendAlone(only.entry)).then(only.resolve, only.reject);
      return;
    }
    for (const chunk of chunks(turn, this.calls)) {
      promised(() => sendBatch(chunk)).catch((error: unknown) => {
        for (const waiter of chunk) waiter.reject(error);
      });
    }
  }
}

/** A call's promise, with a synchronous throw turned into its rejection. */
function promised<T>(call: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve) => resolve(call()));
}

/** The turn cut into calls within the limits: per group, in the order of each group's first entry. */
function chunks<E, R>(turn: Waiter<E, R>[], limits: BatchCalls<E, R>): Waiter<E, R>[][] {
  const { maxEntries, maxBytes, bytesOf, groupOf, keyOf } = limits;
  const sizeOf = bytesOf ? (waiter: Waiter<E, R>) => bytesOf(waiter.entry) : undefined;
  return groupBy(turn, groupOf ?? (() => '')).flatMap((group) =>
    chunkWithin(keyOf ? groupBy(group, keyOf).map(asOne) : group, { maxEntries, maxBytes, bytesOf: sizeOf }),
  );
}

/**
 * Consecutive runs of items, each within `maxEntries` items and, with `bytesOf`, `maxBytes` bytes
 * (an item larger than that goes alone): the limits of a batch API's one call.
 */
export function chunkWithin<T>(items: readonly T[], limits: { maxEntries?: number; maxBytes?: number; bytesOf?(item: T): number }): T[][] {
  const { maxEntries = Infinity, maxBytes = Infinity, bytesOf } = limits;
  const out: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = bytesOf?.(item) ?? 0;
    if (current.length > 0 && (current.length === maxEntries || bytes + size > maxBytes)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** The waiters by key, in the order of each key's first waiter. */
function groupBy<E, R>(waiters: Waiter<E, R>[], keyOf: (entry: E) => string): [Waiter<E, R>, ...Waiter<E, R>[]][] {
  const groups = new Map<string, [Waiter<E, R>, ...Waiter<E, R>[]]>();
  for (const waiter of waiters) {
    const key = keyOf(waiter.entry);
    const same = groups.get(key);
    if (same) same.push(waiter);
    else groups.set(key, [waiter]);
  }
  return [...groups.values()];
}

/** Waiters of one key as one: the later entry, answering them all in their order. */
function asOne<E, R>(same: [Waiter<E, R>, ...Waiter<E, R>[]]): Waiter<E, R> {
  if (same.length === 1) return same[0];
  return {
    entry: (same.at(-1) ?? same[0]).entry,
    resolve: (result) => {
      for (const waiter of same) waiter.resolve(result);
    },
    reject: (error) => {
      for (const waiter of same) waiter.reject(error);
    },
  };
}

/** One value per key object (one batcher per SDK client, say), made on first use and dropped with the key. */
export function onePer<K extends object, A extends unknown[], V>(make: (key: K, ...args: A) => V): (key: K, ...args: A) => V {
  const made = new WeakMap<K, V>();
  return (key, ...args) => {
    let value = made.get(key);
    if (value === undefined) {
      value = make(key, ...args);
      made.set(key, value);
    }
    return value;
  };
}
