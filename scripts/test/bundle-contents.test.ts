import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleEntry } from '../build';
import { loadResources, repoRoot } from '../lib/resources';

// A function that never calls Stripe must not carry the SDK, not even as a chunk loaded on demand:
// the webhook ingress verifies signatures on node:crypto so that its bundle stays small.
const WITHOUT_STRIPE_SDK = ['webhook', 'health', 'openapi'];

/** Every source module bundled into any file of the output, from the source maps esbuild writes beside them. */
function bundledSources(outDir: string): string[] {
  const maps = readdirSync(outDir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.map'));
  return maps.flatMap((file) => (JSON.parse(readFileSync(join(outDir, file), 'utf8')) as { sources: string[] }).sources);
}

const outRoot = mkdtempSync(join(tmpdir(), 'bundle-contents-'));
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

describe('bundle contents', () => {
  it.each(WITHOUT_STRIPE_SDK)('the %s function bundles no Stripe SDK', async (id) => {
    const fn = loadResources().functions.find((f) => f.id === id);
    if (!fn) throw new Error(`resources.json has no ${id} function`);
    const outDir = join(outRoot, id);
    await bundleEntry(join(repoRoot, fn.entry), outDir);
    const sources = bundledSources(outDir);
    expect(sources.length).toBeGreaterThan(10);
    expect(sources.filter((source) => /node_modules\/stripe\//.test(source))).toEqual([]);
  }, 60_000);

  it('sees the Stripe SDK where a function does carry it', async () => {
    const fn = loadResources().functions.find((f) => f.id === 'customer');
    if (!fn) throw new Error('resources.json has no customer function');
    const outDir = join(outRoot, 'customer');
    await bundleEntry(join(repoRoot, fn.entry), outDir);
    expect(bundledSources(outDir).some((source) => /node_modules\/stripe\//.test(source))).toBe(true);
  }, 60_000);
});
