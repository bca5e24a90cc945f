import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../../../scripts/lib/resources';
import { httpClient } from './http-client';
import { useTarget } from './target';

const current = useTarget();
const call = httpClient(current);

it('serves the OpenAPI document without a token', async () => {
  const answer = await call('GET', '/stripe/openapi.json');
  expect(answer.status).toBe(200);
  expect(answer.body).toEqual(JSON.parse(readFileSync(join(repoRoot, 'services/stripe-service/openapi.json'), 'utf8')));
});

it('renders it for a person at /docs on the local stack, with the renderer served locally', async () => {
  if (!current().local) {
    process.stderr.write('deployed stage: /docs is a page of the local stack only\n');
    expect(current().local).toBeUndefined();
    return;
  }
  const page = await fetch(`${current().baseUrl}/docs`);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  const html = await page.text();
  expect(html).toContain("url: '/stripe/openapi.json'");
  for (const asset of html.match(/\/docs\/assets\/[\w.-]+/g) ?? []) {
    const response = await fetch(`${current().baseUrl}${asset}`);
    expect(response.status).toBe(200);
    expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(0);
  }
  expect(html).not.toMatch(/https?:\/\/(?!localhost)/);
  expect((await fetch(`${current().baseUrl}/docs/assets/../../package.json`)).status).toBe(404);
});
