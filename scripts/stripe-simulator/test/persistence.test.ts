import { jest } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STATE_FILE } from '../persistence';
import { startHarness } from './helpers';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stripe-sim-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('state under dataDir', () => {
  it('survives a restart: objects, events, idempotency keys, clock, endpoints', async () => {
    const endpoints = [{ url: 'http://127.0.0.1:9/hook', secret: 'whsec_test_persist' }];
    const first = await startHarness({ dataDir: dir, webhookEndpoints: endpoints });
    const customer = await first.stripe.customers.create({ email: 'keep@example.com' }, { idempotencyKey: 'persist-key' });
    const pi = await first.stripe.paymentIntents.create({
      amount: 1234, currency: 'usd', customer: customer.id, payment_method: 'pm_card_visa', confirm: true,
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
    });
    await first.sim.advanceClock(3600);
    const clockBefore = first.sim.now();
    await first.sim.stop();

    const saved = JSON.parse(readFileSync(join(dir, STATE_FILE), 'utf8')) as { version: number };
    expect(saved.version).toBe(1);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const second = await startHarness({ dataDir: dir, webhookEndpoints: endpoints });
    try {
      expect((await second.stripe.customers.retrieve(customer.id)).id).toBe(customer.id);
      const again = await second.stripe.paymentIntents.retrieve(pi.id);
      expect(again).toMatchObject({ status: 'succeeded', amount_received: 1234 });
      expect((await second.stripe.charges.retrieve(again.latest_charge as string)).amount).toBe(1234);
      const replay = await second.stripe.customers.create({ email: 'keep@example.com' }, { idempotencyKey: 'persist-key' });
      expect(replay.id).toBe(customer.id);
      expect(replay.lastResponse.headers['idempotent-replayed']).toBe('true');
      const types = (await second.stripe.events.list({ limit: 100 })).data.map((e) => e.type);
      expect(types).toEqual(expect.arrayContaining(['customer.created', 'payment_intent.succeeded']));
      expect(second.sim.now()).toBeGreaterThanOrEqual(clockBefore);
      expect((await second.stripe.webhookEndpoints.list()).data).toHaveLength(1);
      // New objects keep appending after the restored ones.
      const later = await second.stripe.customers.create({ email: 'later@example.com' });
      expect((await second.stripe.customers.list({ limit: 2 })).data.map((c) => c.id)).toEqual([later.id, customer.id]);
    } finally {
      await second.sim.stop();
    }
  });

  it('keeps nothing without a dataDir', async () => {
    const first = await startHarness();
    await first.stripe.customers.create({ email: 'gone@example.com' });
    await first.sim.stop();
    const second = await startHarness();
    try {
      expect((await second.stripe.customers.list()).data).toEqual([]);
    } finally {
      await second.sim.stop();
    }
  });

  it('sets an unreadable state file aside and starts empty', async () => {
    writeFileSync(join(dir, STATE_FILE), '{"version": 1, "collections": ');
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const h = await startHarness({ dataDir: dir });
    try {
      expect((await h.stripe.customers.list()).data).toEqual([]);
      expect(readdirSync(dir).some((f) => f.includes('.unreadable-'))).toBe(true);
      expect(warn).toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      await h.sim.stop();
    }
  });
});
