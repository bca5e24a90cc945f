// The committed baseline read against a tree (the working tree, or a commit's copy): the product
// files its shards measured, those they did not, and those that changed since (CI's incremental
// run, and a shard asked to measure again what is stale, both start from this).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BaselineManifest, contentHash, manifestPathFor, measuredBy, readManifest, recordedHash } from './baseline-shards';
import { type IncrementalReport, readReport, staleFiles } from './incremental-report';
import { productFiles } from './workspace';

export interface BaselineState {
  baseline: IncrementalReport;
  manifest: BaselineManifest;
  inShards: (file: string) => boolean;
  measured: string[];
  unmeasured: string[];
  stale: string[];
  read: (file: string) => string | undefined;
}

/** `dir` holds the tree; `commit` names it when it is a commit's copy (the working tree otherwise). */
export async function baselineState(baselinePath: string, dir: string, commit?: string): Promise<BaselineState> {
  const baseline = readReport(baselinePath);
  const manifest = readManifest(manifestPathFor(baselinePath));
  const inShards = measuredBy(manifest);
  const all = await productFiles(['**'], commit);
  const measured = all.filter(inShards);
  const unmeasured = all.filter((file) => !inShards(file));
  const read = (file: string) => (existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8') : undefined);
  const stale = staleFiles(baseline, { productFiles: measured, read, recordedHash: (file) => recordedHash(manifest, file), hash: contentHash });
  return { baseline, manifest, inShards, measured, unmeasured, stale, read };
}
