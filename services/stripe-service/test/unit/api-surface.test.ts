import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadResources, repoRoot } from '../../../../scripts/lib/resources';
import type { HttpHandler } from '@shared/http/http-function';

interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
}

const resources = loadResources();
const openapi = JSON.parse(readFileSync(join(repoRoot, 'services/stripe-service/openapi.json'), 'utf8')) as OpenApi;

const documented = Object.entries(openapi.paths)
  .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
  .sort();
const defined = resources.functions.flatMap((fn) => fn.routes ?? []).sort();

describe('API surface', () => {
  it('is an OpenAPI 3.1 document', () => {
    expect(openapi.openapi).toBe('3.1.0');
  });

  it('documents exactly the routes the resource definition deploys', () => {
    expect(documented).toEqual(defined);
  });

  it.each(resources.functions.filter((fn) => fn.routes).map((fn) => [fn.id, fn] as const))(
    'function %s serves exactly the routes the resource definition gives it',
    async (_id, fn) => {
      const module = (await import(join(repoRoot, fn.entry))) as { handler: HttpHandler };
      expect([...module.handler.routeKeys].sort()).toEqual([...(fn.routes ?? [])].sort());
    },
  );
});
