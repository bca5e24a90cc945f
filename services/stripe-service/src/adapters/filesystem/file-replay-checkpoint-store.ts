import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as v from 'valibot';
import type { ReplayCheckpoint, ReplayCheckpointStore } from '../../application/ports/replay-checkpoint-store';

const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const Checkpoint = v.object({
  since: v.pipe(v.number(), v.integer()),
  types: v.array(v.string()),
  cursor: v.pipe(v.string(), v.minLength(1)),
  counts: v.object({ pages: count, seen: count, enqueued: count, processed: count, pending: count, concurrent: count, wouldEnqueue: count }),
  updatedAt: v.number(),
});

/**
 * A replay's checkpoint as a JSON file (under .data/ by default), written to a temporary file and
 * renamed over the old one, so a crash mid-write leaves the previous checkpoint, never half of one.
 */
export class FileReplayCheckpointStore implements ReplayCheckpointStore {
  constructor(private readonly path: string) {}

  async load(): Promise<ReplayCheckpoint | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const parsed = v.safeParse(Checkpoint, JSON.parse(text));
    if (!parsed.success) throw new Error(`${this.path} is not a replay checkpoint (${parsed.issues[0]?.message ?? 'invalid'}); delete it to start over`);
    return parsed.output;
  }

  async save(checkpoint: ReplayCheckpoint): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(checkpoint, null, 2)}\n`);
    await rename(temporary, this.path);
  }

  async clear(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
