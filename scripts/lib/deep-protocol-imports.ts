// An esbuild plugin for the AWS SDK's protocols barrel. Every client imports its protocol from
// `@aws-sdk/core/protocols`, whose index re-exports all of them (JSON, query, XML, CBOR). With code
// splitting, a module the entry reaches through that index goes into what a cold start loads, even
// when only a lazily imported client uses it: the events worker loaded SNS's query protocol and its
// XML parser (about 12 KB) at init, though SNS itself is imported on the first publish. Rewriting
// each client's import to the files that define the names it imports keeps every protocol in the
// chunk of the client that uses it. Names the index does not map to a file of its own are left
// to the index, so an SDK update can only make the rewrite do less, never break a bundle.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Plugin } from 'esbuild';

const BARREL = '@aws-sdk/core/protocols';
const IMPORT = /import\s*\{([^}]*)\}\s*from\s*"@aws-sdk\/core\/protocols";?/g;

/** Export name → the module that defines it, read from the barrel's `export { … } from "…"` lines. */
export function barrelMap(barrelSource: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const match of barrelSource.matchAll(/export\s*\{([^}]*)\}\s*from\s*"([^"]+)";?/g)) {
    const names = match[1]!.split(',').map((n) => n.trim()).filter(Boolean);
    // Only plain names: an `a as b` re-export would need its own rewrite.
    if (names.some((n) => n.includes(' '))) continue;
    for (const name of names) map.set(name, match[2]!);
  }
  return map;
}

/** The source with its barrel imports split per defining module; unchanged when nothing applies. */
export function rewriteBarrelImports(source: string, map: Map<string, string>, resolveTarget: (specifier: string) => string): string {
  return source.replace(IMPORT, (whole, list: string) => {
    const names = list.split(',').map((n) => n.trim()).filter(Boolean);
    if (names.some((n) => n.includes(' ') || !map.has(n))) return whole;
    const byModule = new Map<string, string[]>();
    for (const name of names) {
      const target = resolveTarget(map.get(name)!);
      byModule.set(target, [...(byModule.get(target) ?? []), name]);
    }
    return [...byModule].map(([target, list]) => `import { ${list.join(', ')} } from ${JSON.stringify(target)};`).join(' ');
  });
}

export function deepProtocolImports(nodeModules: string): Plugin {
  const barrelFile = join(nodeModules, '@aws-sdk/core/dist-es/submodules/protocols/index.js');
  return {
    name: 'deep-protocol-imports',
    setup(build) {
      const map = barrelMap(readFileSync(barrelFile, 'utf8'));
      // Relative targets are the barrel's own files; bare ones (@smithy/core/protocols) resolve as usual.
      const resolveTarget = (specifier: string) => (specifier.startsWith('.') ? `${join(dirname(barrelFile), specifier)}.js` : specifier);
      build.onLoad({ filter: /[\\/]node_modules[\\/]@aws-sdk[\\/].*[\\/]dist-es[\\/].*\.js$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes(BARREL)) return undefined;
        const rewritten = rewriteBarrelImports(source, map, resolveTarget);
        return rewritten === source ? undefined : { contents: rewritten, loader: 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}
