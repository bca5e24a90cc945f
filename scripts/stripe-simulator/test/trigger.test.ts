import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../lib/resources';
import { FIXTURES, resolveTarget, runTrigger } from '../../trigger';
import { startHarness, TEST_KEY, type Harness } from './helpers';
import { startReceiver, type WebhookReceiver } from './webhook-receiver';

let h: Harness;
let receiver: WebhookReceiver;
let secret: string;

beforeAll(async () => {
  receiver = await startReceiver();
  h = await startHarness({ webhookDelivery: { retryBaseMs: 20 } });
  secret = h.sim.addWebhookEndpoint({ url: receiver.url }).secret;
});
afterAll(async () => {
  await h.sim.stop();
  await receiver.close();
});

describe('npm run trigger', () => {
  it.each(Object.keys(FIXTURES))('%s: records the event and delivers it signed', async (type) => {
    const result = await runTrigger(type, { url: h.sim.url, apiKey: TEST_KEY, metadata: { userId: 'u-trigger' } });
    const event = result.events.find((e) => e.type === type);
    expect(event).toBeDefined();
    expect(result.objects.length).toBeGreaterThan(0);
    await h.sim.webhooks.idle();
    const got = receiver.received.find((r) => r.eventId === event!.id);
    expect(got).toBeDefined();
    expect(h.stripe.webhooks.constructEvent(got!.body, got!.signature, secret).type).toBe(type);
  });

  it('uses an existing customer when given one', async () => {
    const customer = await h.stripe.customers.create({ email: 'given@example.com' });
    const result = await runTrigger('payment_intent.succeeded', { url: h.sim.url, apiKey: TEST_KEY, customer: customer.id, amount: 1234, currency: 'eur' });
    const pi = await h.stripe.paymentIntents.retrieve(result.objects.find((id) => id.startsWith('pi_'))!);
    expect(pi).toMatchObject({ customer: customer.id, amount: 1234, currency: 'eur', status: 'succeeded' });
  });

  it('refuses an event it has no fixture for', async () => {
    await expect(runTrigger('account.updated', { url: h.sim.url, apiKey: TEST_KEY })).rejects.toThrow(/No fixture for account.updated/);
  });

  it('finds the simulator and key of the local stack, unless told otherwise', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trigger-'));
    try {
      expect(resolveTarget({}, {}, dir)).toEqual({ url: 'http://127.0.0.1:12111', apiKey: 'sk_test_trigger' });
      writeFileSync(join(dir, 'dev-stack.json'), JSON.stringify({ stripe: { url: 'http://127.0.0.1:23456/' } }));
      writeFileSync(join(dir, 'secrets.json'), JSON.stringify({ 'stripe-payments-local-stripe-secret-key': 'sk_test_local', 'other-local-stripe-secret-key': 'sk_test_other' }));
      expect(resolveTarget({}, {}, dir)).toEqual({ url: 'http://127.0.0.1:23456', apiKey: 'sk_test_local' });
      expect(resolveTarget({}, { PROJECT_NAME: 'other' }, dir).apiKey).toBe('sk_test_other');
      expect(resolveTarget({}, { STRIPE_SIMULATOR_URL: 'http://127.0.0.1:1' }, dir).url).toBe('http://127.0.0.1:1');
      expect(resolveTarget({ url: 'http://127.0.0.1:2', apiKey: 'sk_test_flag' }, { STRIPE_SIMULATOR_URL: 'http://127.0.0.1:1' }, dir)).toEqual({
        url: 'http://127.0.0.1:2',
        apiKey: 'sk_test_flag',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs as a command and prints the events with their deliveries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trigger-cli-'));
    try {
      const { stdout } = await promisify(execFile)(join(repoRoot, 'node_modules', '.bin', 'tsx'), [join(repoRoot, 'scripts', 'trigger.ts'), 'charge.refunded', '--url', h.sim.url], {
        cwd: repoRoot,
        env: { ...process.env, LOCAL_STACK_DATA_DIR: dir, NODE_OPTIONS: '' },
        timeout: 60_000,
      });
      expect(stdout).toContain(`Triggered charge.refunded on ${h.sim.url}`);
      expect(stdout).toMatch(/charge\.refunded +evt_\S+ +http:\/\/127\.0\.0\.1:\d+\/webhooks\/stripe → 200/);
      const refunds = await h.stripe.refunds.list({ limit: 1 });
      expect(stdout).toContain(refunds.data[0]!.id);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('fails with usage help when no event is given', async () => {
    const err = await promisify(execFile)(join(repoRoot, 'node_modules', '.bin', 'tsx'), [join(repoRoot, 'scripts', 'trigger.ts')], {
      cwd: repoRoot,
      env: { ...process.env, NODE_OPTIONS: '' },
      timeout: 60_000,
    }).catch((e: unknown) => e as { code: number; stderr: string });
    expect(err).toMatchObject({ code: 2 });
    expect((err as { stderr: string }).stderr).toContain('Usage: npm run trigger');
  }, 60_000);
});
