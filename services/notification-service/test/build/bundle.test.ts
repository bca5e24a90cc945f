// The notification worker is its own deployable: its Lambda package carries neither the Stripe SDK
// nor the payments service's code, as built for AWS (npm run build's bundler), read from the
// bundle's source maps, which name every module that went in.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleEntry, type Bundle } from '../../../../scripts/build';
import { loadResources, repoRoot } from '../../../../scripts/lib/resources';

const fn = loadResources().functions.find((f) => f.id === 'notifications');
let dir: string;
let bundle: Bundle;
let modules: string[];

beforeAll(async () => {
  if (!fn) throw new Error('resources.json has no notifications function');
  dir = mkdtempSync(join(tmpdir(), 'notifications-bundle-'));
  bundle = await bundleEntry(join(repoRoot, fn.entry), dir);
  modules = bundle.files.flatMap((file) => (JSON.parse(readFileSync(join(dir, `${file}.map`), 'utf8')) as { sources: string[] }).sources);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the notifications function bundle', () => {
  it('is built from the notification service, the shared code and its SDKs', () => {
    expect(modules.some((m) => m.includes('services/notification-service/src/handlers/notifications/index.ts'))).toBe(true);
    expect(modules.some((m) => m.includes('node_modules/@aws-sdk/client-sesv2/'))).toBe(true);
    expect(modules.some((m) => m.includes('node_modules/@aws-sdk/client-dynamodb/'))).toBe(true);
  });

  it('carries neither the Stripe SDK nor any code of the payments service', () => {
    expect(modules.filter((m) => m.includes('node_modules/stripe/'))).toEqual([]);
    expect(modules.filter((m) => m.includes('services/stripe-service/'))).toEqual([]);
  });

  it('loads the SES client on the first send, not at cold start', () => {
    expect(bundle.initModules.filter((m) => m.includes('client-sesv2'))).toEqual([]);
    expect(bundle.initModules.some((m) => m.includes('client-dynamodb'))).toBe(true);
  });
});
