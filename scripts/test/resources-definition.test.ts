// loadResources refuses a definition whose functions give an access to a table they do not use:
// the local stack, the build and Terraform all read the file through it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadResources, resourcesPath } from '../lib/resources';

type Raw = { functions: { id: string; tables: string[]; readOnlyTables?: string[]; scanTables?: string[] }[] };

/** Loads the definition with one edit applied; the error it throws, or undefined. */
function loadEdited(edit: (raw: Raw) => void): string | undefined {
  const raw = JSON.parse(readFileSync(resourcesPath, 'utf8')) as Raw;
  edit(raw);
  const dir = mkdtempSync(join(tmpdir(), 'resources-'));
  try {
    const file = join(dir, 'resources.json');
    writeFileSync(file, JSON.stringify(raw));
    loadResources(file);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('table access in resources.json', () => {
  it('the definition file itself is consistent', () => {
    const resources = loadResources();
    for (const fn of resources.functions) {
      for (const t of [...(fn.readOnlyTables ?? []), ...(fn.scanTables ?? [])]) expect({ fn: fn.id, table: t, used: fn.tables.includes(t) }).toEqual({ fn: fn.id, table: t, used: true });
    }
  });

  it.each([
    ['readOnlyTables', (fn: Raw['functions'][number]) => (fn.readOnlyTables = [...(fn.readOnlyTables ?? []), 'payments'])],
    ['scanTables', (fn: Raw['functions'][number]) => (fn.scanTables = [...(fn.scanTables ?? []), 'payments'])],
  ])('refuses %s naming a table the function does not use', (_field, edit) => {
    const error = loadEdited((raw) => {
      const health = raw.functions.find((fn) => fn.id === 'health')!;
      expect(health.tables).not.toContain('payments');
      edit(health);
    });
    expect(error).toMatch(/function health: payments is given an access but is not one of its tables/);
  });
});
