import type { ReplayCheckpoint, ReplayCheckpointStore } from '../../src/application/ports/replay-checkpoint-store';

/** For unit tests of the replay; the ReplayCheckpointStore contract suite proves it behaves like the file adapter. */
export class InMemoryReplayCheckpointStore implements ReplayCheckpointStore {
  private saved: string | undefined;
  /** Every checkpoint saved, in order. */
  readonly history: ReplayCheckpoint[] = [];

  async load(): Promise<ReplayCheckpoint | undefined> {
    return this.saved === undefined ? undefined : (JSON.parse(this.saved) as ReplayCheckpoint);
  }

  async save(checkpoint: ReplayCheckpoint): Promise<void> {
    this.saved = JSON.stringify(checkpoint);
    this.history.push(JSON.parse(this.saved) as ReplayCheckpoint);
  }

  async clear(): Promise<void> {
    this.saved = undefined;
  }
}
