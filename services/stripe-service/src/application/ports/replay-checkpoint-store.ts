/** Where a replay of Stripe's event log stands, so an interrupted one resumes where it stopped. */
export interface ReplayCheckpoint {
  /** Epoch seconds: events created after this. */
  since: number;
  /** Sorted; empty for every type. */
  types: string[];
  /** The last event of the last page done (Stripe's `starting_after`). */
  cursor: string;
  counts: ReplayCounts;
  /** Epoch ms. */
  updatedAt: number;
}

export interface ReplayCounts {
  pages: number;
  seen: number;
  /** Fed to the events worker now. */
  enqueued: number;
  /** Processed before: nothing to do. */
  processed: number;
  /** Marked enqueued by an older deploy, not processed yet (in the events queue, or its dead-letter queue). */
  pending: number;
  /** Recorded within its lease and not processed yet (a delivery or replay moments ago): that one enqueues it. */
  concurrent: number;
  /** Dry run: would have been enqueued. */
  wouldEnqueue: number;
}

export interface ReplayCheckpointStore {
  load(): Promise<ReplayCheckpoint | undefined>;
  /** Replaces the checkpoint; written whole or not at all. */
  save(checkpoint: ReplayCheckpoint): Promise<void>;
  /** After a replay went through everything. */
  clear(): Promise<void>;
}

export const REPLAY_CHECKPOINT_STORE = Symbol.for('ReplayCheckpointStore');
