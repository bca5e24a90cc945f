import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileReplayCheckpointStore } from '../../src/adapters/filesystem/file-replay-checkpoint-store';
import { InMemoryReplayCheckpointStore } from '../fakes/in-memory-replay-checkpoint-store';
import { replayCheckpointStoreContract } from './replay-checkpoint-store.contract';

replayCheckpointStoreContract('in-memory', async () => {
  const store = new InMemoryReplayCheckpointStore();
  return { subject: () => store, teardown: async () => {} };
});

replayCheckpointStoreContract('file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'replay-checkpoint-'));
  // A new adapter per call: what one process saved, the next one (a resumed run) reads.
  return { subject: () => new FileReplayCheckpointStore(join(dir, 'nested', 'replay.json')), teardown: async () => rmSync(dir, { recursive: true, force: true }) };
});

describe('FileReplayCheckpointStore', () => {
  it('refuses a file that is not a checkpoint instead of resuming from garbage', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'replay-checkpoint-'));
    try {
      const path = join(dir, 'replay.json');
      writeFileSync(path, JSON.stringify({ since: 'yesterday' }));
      await expect(new FileReplayCheckpointStore(path).load()).rejects.toThrow(/is not a replay checkpoint/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
