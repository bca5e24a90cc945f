import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../../../scripts/lib/resources';
import { httpClient } from './http-client';
import { startTarget, type E2eTarget } from './target';

let target: E2eTarget;
beforeAll(async () => {
  target = await startTarget();
}, 60_000);
afterAll(async () => target?.stop());
const call = httpClient(() => target);

it('serves the OpenAPI document without a token', async () => {
  const answer = await call('GET', '/stripe/openapi.json');
  expect(answer.status).toBe(200);
  expect(answer.body).toEqual(JSON.parse(readFileSync(join(repoRoot, 'services/stripe-service/openapi.json'), 'utf8')));
});

it('renders it for a person at /docs on the local stack, with the renderer served locally', async () => {
  if (!target.local) {
    process.stderr.write('deployed stage: /docs is a page of the local stack only\n');
    expect(target.local).toBeUndefined();
    return;
  }
  const page = await fetch(`${target.baseUrl}/docs`);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  const html = await page.text();
  expect(html).toContain("url: '/stripe/openapi.json'");
  for (const asset of html.match(/\/docs\/assets\/[\w.-]+/g) ?? []) {
    const response = await fetch(`${target.baseUrl}${asset}`);
    expect(response.status).toBe(200);
    expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(0);
  }
  expect(html).not.toMatch(/https?:\/\/(?!localhost)/);
  expect((await fetch(`${target.baseUrl}/docs/assets/../../package.json`)).status).toBe(404);
});
