// `npm run build`: one minified ESM bundle and one zip per Lambda function in resources.json,
// under dist/<function>/index.mjs and dist/<function>.zip (handler: index.handler, nodejs22.x).
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { loadResources, repoRoot } from './lib/resources';
import { createZip } from './lib/zip';

export interface BuiltFunction {
  id: string;
  bundle: string;
  zip: string;
  bundleBytes: number;
  zipBytes: number;
}

/** One Lambda bundle, built as every function is (the benchmark builds its floors with this too). */
export async function bundleEntry(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    // Runs on the nodejs22.x runtime and on Node 20 locally.
    target: 'node20',
    format: 'esm',
    // ES module builds of the AWS SDK and friends tree-shake far better than their CommonJS builds.
    mainFields: ['module', 'main'],
    minify: true,
    sourcemap: 'external',
    legalComments: 'none',
    tsconfig: join(repoRoot, 'tsconfig.json'),
    // Some CommonJS dependencies call require() for Node built-ins; ESM output needs a require.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'warning',
  });
}

export async function buildFunctions(outDir = join(repoRoot, 'dist')): Promise<BuiltFunction[]> {
  rmSync(outDir, { recursive: true, force: true });
  const built: BuiltFunction[] = [];
  for (const fn of loadResources().functions) {
    const dir = join(outDir, fn.id);
    mkdirSync(dir, { recursive: true });
    const bundle = join(dir, 'index.mjs');
    await bundleEntry(join(repoRoot, fn.entry), bundle);
    const zip = join(outDir, `${fn.id}.zip`);
    writeFileSync(zip, createZip([{ name: 'index.mjs', data: readFileSync(bundle) }]));
    built.push({ id: fn.id, bundle, zip, bundleBytes: statSync(bundle).size, zipBytes: statSync(zip).size });
  }
  return built;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const built = await buildFunctions();
  for (const fn of built) {
    console.log(`${fn.id.padEnd(24)} ${(fn.bundleBytes / 1024).toFixed(0).padStart(6)} KB bundle  ${(fn.zipBytes / 1024).toFixed(0).padStart(6)} KB zip`);
  }
}
