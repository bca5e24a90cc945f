// `npm run build`: one minified ESM bundle and one zip per Lambda function in resources.json,
// under dist/<function>/ (index.mjs and its on-demand chunks) and dist/<function>.zip (handler:
// index.handler, nodejs22.x).
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { deepProtocolImports } from './lib/deep-protocol-imports';
import { loadResources, repoRoot } from './lib/resources';
import { createZip } from './lib/zip';

export interface BuiltFunction {
  id: string;
  /** The entry module (the Lambda handler is index.handler). */
  bundle: string;
  zip: string;
  /** All modules of the function: the entry and the chunks it imports on demand. */
  bundleBytes: number;
  /** What a cold start evaluates: the entry and the chunks it imports statically. */
  initBytes: number;
  /** The source modules (repository-relative) bundled into what a cold start evaluates. */
  initModules: string[];
  zipBytes: number;
}

export interface Bundle {
  /** The entry module, `index.mjs` in `outDir`. */
  entry: string;
  /** Every module written, relative to `outDir`: the entry first, then its chunks. */
  files: string[];
  bytes: number;
  /** The entry and every chunk it imports statically, transitively: what a cold start evaluates. */
  initBytes: number;
  /** The source modules (repository-relative) bundled into those. */
  initModules: string[];
}

/**
 * One Lambda bundle, built as every function is (the benchmark builds its floors with this too).
 * Modules a function imports dynamically (the Stripe SDK, loaded on first use) become chunks of
 * their own beside the entry, so a cold start evaluates them only when a request needs them.
 */
export async function bundleEntry(entry: string, outDir: string): Promise<Bundle> {
  const result = await build({
    entryPoints: { index: entry },
    outdir: outDir,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
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
    metafile: true,
    tsconfig: join(repoRoot, 'tsconfig.json'),
    // Some CommonJS dependencies call require() for Node built-ins; ESM output needs a require.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'warning',
    plugins: [deepProtocolImports(join(repoRoot, 'node_modules'))],
  });
  const outputs = Object.keys(result.metafile.outputs)
    .filter((file) => file.endsWith('.mjs'))
    .map((file) => relative(outDir, resolve(file)))
    .sort((a, b) => (a === 'index.mjs' ? -1 : b === 'index.mjs' ? 1 : a.localeCompare(b)));
  const size = (file: string) => statSync(join(outDir, file)).size;
  const bytes = outputs.reduce((sum, file) => sum + size(file), 0);
  const byPath = new Map(Object.entries(result.metafile.outputs).map(([file, output]) => [relative(outDir, resolve(file)), output]));
  const loadedAtInit = new Set<string>();
  const visit = (file: string) => {
    if (loadedAtInit.has(file)) return;
    loadedAtInit.add(file);
    for (const imported of byPath.get(file)?.imports ?? []) {
      if (imported.kind === 'import-statement' && !imported.external) visit(relative(outDir, resolve(imported.path)));
    }
  };
  visit('index.mjs');
  const initBytes = [...loadedAtInit].reduce((sum, file) => sum + size(file), 0);
  const initModules = [...loadedAtInit].flatMap((file) => Object.keys(byPath.get(file)?.inputs ?? {}));
  return { entry: join(outDir, 'index.mjs'), files: outputs, bytes, initBytes, initModules };
}

export async function buildFunctions(outDir = join(repoRoot, 'dist')): Promise<BuiltFunction[]> {
  rmSync(outDir, { recursive: true, force: true });
  const built: BuiltFunction[] = [];
  for (const fn of loadResources().functions) {
    const dir = join(outDir, fn.id);
    mkdirSync(dir, { recursive: true });
    const bundle = await bundleEntry(join(repoRoot, fn.entry), dir);
    const zip = join(outDir, `${fn.id}.zip`);
    writeFileSync(zip, createZip(bundle.files.map((file) => ({ name: file, data: readFileSync(join(dir, file)) }))));
    built.push({ id: fn.id, bundle: bundle.entry, zip, bundleBytes: bundle.bytes, initBytes: bundle.initBytes, initModules: bundle.initModules, zipBytes: statSync(zip).size });
  }
  return built;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const built = await buildFunctions();
  for (const fn of built) {
    console.log(
      `${fn.id.padEnd(24)} ${(fn.bundleBytes / 1024).toFixed(0).padStart(6)} KB bundle (${(fn.initBytes / 1024).toFixed(0).padStart(4)} KB loaded at init)  ${(fn.zipBytes / 1024).toFixed(0).padStart(6)} KB zip`,
    );
  }
}
