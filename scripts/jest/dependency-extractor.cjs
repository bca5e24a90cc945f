// jest's dependency graph, plus the handlers that are loaded by a computed path. The local stack
// and the API surface test import each function's entry as `import(join(repoRoot, fn.entry))`,
// which jest cannot follow, so `--findRelatedTests` (which the mutation run uses to pick the test
// files for a mutated file) would leave out every end-to-end suite and let their kills go uncounted.
// CommonJS because jest-haste-map's workers load it with require(), which takes ES modules only
// from Node 20.19 on.
/* eslint-disable @typescript-eslint/no-require-imports */
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { dirname, join, relative } = require('node:path');

const root = join(__dirname, '..', '..');
const resourcesPath = join(root, 'services', 'stripe-service', 'resources.json');
const COMPUTED_ENTRY_IMPORT = /\bimport\(\s*join\(\s*repoRoot\s*,\s*fn\.entry\s*\)\s*\)/;

function entries() {
  const resources = JSON.parse(readFileSync(resourcesPath, 'utf8'));
  return resources.functions.map((fn) => join(root, fn.entry));
}

module.exports = {
  extract(code, filePath, defaultExtract) {
    const dependencies = defaultExtract(code, filePath);
    if (COMPUTED_ENTRY_IMPORT.test(code)) {
      for (const entry of entries()) dependencies.add(`./${relative(dirname(filePath), entry)}`);
    }
    return dependencies;
  },
  // The extracted graph is cached; it must be recomputed when the list of functions changes.
  getCacheKey() {
    return createHash('sha256').update(readFileSync(__filename)).update(readFileSync(resourcesPath)).digest('hex');
  },
};
