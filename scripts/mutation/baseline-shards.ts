// Which shards built the baseline (reports/stryker-incremental.shards.json, committed beside it):
// the files each one was asked to mutate and the commit it ran on. The incremental file itself only
// lists files that had mutants, so this is what tells "measured, nothing to mutate" from "not
// measured yet", and which files CI's incremental run can hold to the baseline.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as v from 'valibot';
import { fileMatcher } from './file-patterns';

const Shard = v.object({
  name: v.string(),
  patterns: v.array(v.string()),
  commit: v.pipe(v.string(), v.regex(/^[0-9a-f]{40}$/)),
  finishedAt: v.pipe(v.string(), v.isoTimestamp()),
  /** How long the run took; null for a report made elsewhere and merged with --from. */
  minutes: v.nullable(v.number()),
  /** Each file the shard was asked to mutate, with a hash of its content then (sha256, hex). */
  files: v.record(v.string(), v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/))),
  mutants: v.number(),
  score: v.nullable(v.number()),
});
export type BaselineShard = v.InferOutput<typeof Shard>;

const Manifest = v.object({ shards: v.array(Shard) });
export type BaselineManifest = v.InferOutput<typeof Manifest>;

export function manifestPathFor(baselinePath: string): string {
  return baselinePath.replace(/\.json$/, '.shards.json');
}

export function readManifest(path: string): BaselineManifest {
  if (!existsSync(path)) return { shards: [] };
  return v.parse(Manifest, JSON.parse(readFileSync(path, 'utf8')));
}

/**
 * The manifest with `shard` recorded. It replaces an entry of its name, and any entry whose files it
 * measured again, all of them: the older entry's score and commit no longer describe the baseline.
 */
export function withShard(manifest: BaselineManifest, shard: BaselineShard): BaselineManifest {
  const supersedes = (known: BaselineShard) => known.name === shard.name || Object.keys(known.files).every((file) => file in shard.files);
  return { shards: [...manifest.shards.filter((known) => !supersedes(known)), shard] };
}

/**
 * Whether some finished shard's patterns name `file`: a file added since to a measured folder counts
 * as measured (CI's incremental run mutates it). Each shard's patterns apart: one shard's
 * exclusions do not undo another's.
 */
export function measuredBy(manifest: BaselineManifest): (file: string) => boolean {
  const matchers = manifest.shards.map((shard) => fileMatcher(shard.patterns));
  return (file) => matchers.some((matches) => matches(file));
}

export function contentHash(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}

/** The hash the latest shard that measured `file` recorded for it. */
export function recordedHash(manifest: BaselineManifest, file: string): string | undefined {
  return manifest.shards.findLast((shard) => file in shard.files)?.files[file];
}
