import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Stripe from 'stripe';
import { STATE_FILE } from '../persistence';

const here = dirname(fileURLToPath(import.meta.url));
const main = join(here, '..', 'main.ts');

describe('npm run simulator', () => {
  it('prints its URL, serves the API, saves to --data-dir and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stripe-sim-cli-'));
    const child = spawn(process.execPath, ['--import', 'tsx', main, '--port', '0', '--data-dir', dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    try {
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${output}`)), 20_000);
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const m = /listening on (http:\/\/\S+)/.exec(output);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        child.stderr.on('data', (chunk: Buffer) => {
          output += chunk.toString();
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
      });
      const port = Number(new URL(url).port);
      const stripe = new Stripe('sk_test_cli', { host: '127.0.0.1', port, protocol: 'http', maxNetworkRetries: 0 });
      const customer = await stripe.customers.create({ email: 'cli@example.com' });
      expect(customer.id).toMatch(/^cus_/);

      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(existsSync(join(dir, STATE_FILE))).toBe(true);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a bad port', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', main, '--port', 'abc'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('--port');
  });
});
