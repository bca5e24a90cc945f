import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Stripe from 'stripe';
import { signatureHeader } from '../index';
import { raw, startHarness, type Harness } from './helpers';
import { startReceiver, type WebhookReceiver } from './webhook-receiver';

let h: Harness;
let receiver: WebhookReceiver;

beforeEach(async () => {
  receiver = await startReceiver();
  h = await startHarness({ webhookDelivery: { retryBaseMs: 20, maxAttempts: 3, timeoutMs: 2000 } });
});
afterEach(async () => {
  await h.sim.stop();
  await receiver.close();
});

async function endpoint(enabledEvents: Stripe.WebhookEndpointCreateParams.EnabledEvent[] = ['*']): Promise<Stripe.WebhookEndpoint> {
  return h.stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: enabledEvents });
}

function v1Count(header: string): number {
  return header.split(',').filter((p) => p.startsWith('v1=')).length;
}

describe('webhook delivery', () => {
  it('POSTs each event signed so that the SDK constructEvent accepts it, and counts it delivered', async () => {
    const we = await endpoint();
    const customer = await h.stripe.customers.create({ email: 'hook@example.com' });
    const [got] = await receiver.waitFor(1);
    await h.sim.webhooks.idle();

    expect(got!.path).toBe('/webhooks/stripe');
    expect(got!.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(got!.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const event = h.stripe.webhooks.constructEvent(got!.body, got!.signature, we.secret!);
    expect(event).toMatchObject({ object: 'event', type: 'customer.created', livemode: false, data: { object: { id: customer.id, email: 'hook@example.com' } } });
    expect(event.pending_webhooks).toBe(1);

    expect(() => h.stripe.webhooks.constructEvent(got!.body, got!.signature, 'whsec_wrong')).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(() => h.stripe.webhooks.constructEvent(got!.body.replace('hook@example.com', 'evil@example.com'), got!.signature, we.secret!)).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );

    // The signature is HMAC-SHA256 over `${t}.${body}`, computed independently here.
    const t = /t=(\d+)/.exec(got!.signature)![1]!;
    expect(got!.signature).toContain(`v1=${createHmac('sha256', we.secret!).update(`${t}.${got!.body}`).digest('hex')}`);
    expect(Math.abs(Number(t) - Date.now() / 1000)).toBeLessThan(5);

    const stored = await h.stripe.events.retrieve(event.id);
    expect(stored.pending_webhooks).toBe(0);
    expect(h.sim.webhooks.deliveries()).toEqual([expect.objectContaining({ eventId: event.id, eventType: 'customer.created', endpointId: we.id, attempt: 1, status: 200 })]);
  });

  it('sends only the enabled event types, and nothing to disabled or deleted endpoints', async () => {
    const we = await endpoint(['customer.updated']);
    const customer = await h.stripe.customers.create({ email: 'only@example.com' });
    await h.stripe.customers.update(customer.id, { name: 'Changed' });
    await h.sim.webhooks.idle();
    expect(receiver.received.map((r) => r.type)).toEqual(['customer.updated']);
    const created = (await h.stripe.events.list({ type: 'customer.created' })).data[0]!;
    expect(created.pending_webhooks).toBe(0);

    await h.stripe.webhookEndpoints.update(we.id, { disabled: true });
    await h.stripe.customers.update(customer.id, { name: 'Again' });
    await h.sim.webhooks.idle();
    await h.stripe.webhookEndpoints.update(we.id, { disabled: false });
    await h.stripe.webhookEndpoints.del(we.id);
    await h.stripe.customers.update(customer.id, { name: 'Once more' });
    await h.sim.webhooks.idle();
    expect(receiver.received).toHaveLength(1);
  });

  it('retries with backoff until a 2xx, then stops', async () => {
    await endpoint();
    receiver.respondWith(500, 503);
    const started = Date.now();
    await h.stripe.customers.create({ email: 'retry@example.com' });
    await receiver.waitFor(3);
    await h.sim.webhooks.idle();
    // Backoff of 20 ms then 40 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect(h.sim.webhooks.deliveries().map((d) => [d.attempt, d.status])).toEqual([
      [1, 500],
      [2, 503],
      [3, 200],
    ]);
    expect(new Set(receiver.received.map((r) => r.eventId)).size).toBe(1);
    expect(receiver.received).toHaveLength(3);
  });

  it('gives up after maxAttempts and leaves the event pending', async () => {
    await endpoint();
    receiver.respondWith(500, 500, 500, 500);
    await h.stripe.customers.create({ email: 'fail@example.com' });
    await h.sim.webhooks.idle();
    expect(receiver.received).toHaveLength(3);
    const event = (await h.stripe.events.list({ type: 'customer.created' })).data[0]!;
    expect(event.pending_webhooks).toBe(1);
  });

  it('counts a hanging endpoint as failed after the timeout, and an unreachable one too', async () => {
    h.sim.webhooks.configure({ timeoutMs: 100, maxAttempts: 1 });
    await endpoint();
    h.sim.addWebhookEndpoint({ url: 'http://127.0.0.1:9/unreachable' });
    receiver.respondWith('hang');
    await h.stripe.customers.create({ email: 'slow@example.com' });
    await h.sim.webhooks.idle();
    const deliveries = h.sim.webhooks.deliveries();
    expect(deliveries).toHaveLength(2);
    expect(deliveries.find((d) => d.url === receiver.url)).toMatchObject({ status: null, error: expect.stringMatching(/timed out/) as unknown });
    expect(deliveries.find((d) => d.url.endsWith('/unreachable'))).toMatchObject({ status: null, error: expect.any(String) as unknown });
  });

  it('delivers duplicates when asked, with the same event id', async () => {
    h.sim.webhooks.configure({ duplicates: 2 });
    const we = await endpoint();
    await h.stripe.customers.create({ email: 'dup@example.com' });
    await h.sim.webhooks.idle();
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((r) => r.eventId)).size).toBe(1);
    for (const r of receiver.received) expect(h.stripe.webhooks.constructEvent(r.body, r.signature, we.secret!).type).toBe('customer.created');
    const event = (await h.stripe.events.list({ type: 'customer.created' })).data[0]!;
    expect(event.pending_webhooks).toBe(0);
  });

  it('delivers out of order when asked: a held batch goes out newest first', async () => {
    h.sim.webhooks.configure({ outOfOrder: true, holdMs: 60_000 });
    await endpoint();
    const customer = await h.stripe.customers.create({ email: 'order@example.com' });
    await h.stripe.customers.update(customer.id, { name: 'Second' });
    await h.stripe.customers.del(customer.id);
    // Held for the minute-long window: not one attempt yet. (Sent as they came, they would also
    // arrive in creation order, which the order check below refuses.)
    expect(h.sim.webhooks.deliveries()).toEqual([]);
    expect(receiver.received).toHaveLength(0);
    h.sim.webhooks.flush();
    await h.sim.webhooks.idle();
    expect(receiver.received.map((r) => r.type)).toEqual(['customer.deleted', 'customer.updated', 'customer.created']);
  });

  it('signs with both secrets while a rolled secret is still valid, then with the new one only', async () => {
    const we = await endpoint();
    const { secret } = h.sim.webhooks.rollSecret(we.id, { expiresInSeconds: 3600 });
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(we.secret);
    await h.stripe.customers.create({ email: 'roll@example.com' });
    const [first] = await receiver.waitFor(1);
    expect(v1Count(first!.signature)).toBe(2);
    expect(h.stripe.webhooks.constructEvent(first!.body, first!.signature, we.secret!).type).toBe('customer.created');
    expect(h.stripe.webhooks.constructEvent(first!.body, first!.signature, secret).type).toBe('customer.created');
    expect((await h.stripe.webhookEndpoints.retrieve(we.id)) as unknown as Record<string, unknown>).not.toHaveProperty('previous_secrets');

    await h.sim.advanceClock(3601);
    await h.stripe.customers.create({ email: 'roll2@example.com' });
    const [, second] = await receiver.waitFor(2);
    expect(v1Count(second!.signature)).toBe(1);
    expect(h.stripe.webhooks.constructEvent(second!.body, second!.signature, secret).type).toBe('customer.created');
    expect(() => h.stripe.webhooks.constructEvent(second!.body, second!.signature, we.secret!)).toThrow(Stripe.errors.StripeSignatureVerificationError);
  });

  it('uses the secret configured for a pre-registered endpoint', async () => {
    await h.sim.stop();
    h = await startHarness({ webhookEndpoints: [{ url: receiver.url, secret: 'whsec_local_dev', enabledEvents: ['customer.created'] }], webhookDelivery: { retryBaseMs: 20 } });
    await h.stripe.customers.create({ email: 'pre@example.com' });
    const [got] = await receiver.waitFor(1);
    expect(h.stripe.webhooks.constructEvent(got!.body, got!.signature, 'whsec_local_dev').type).toBe('customer.created');
  });

  it('offers the same switches over HTTP: config, roll_secret, resend, deliveries, wait', async () => {
    const we = await endpoint();
    const config = await raw(h.sim, 'POST', '/_simulator/webhooks/config', 'duplicates=1&retry_base_ms=10', { Authorization: '' });
    expect(config.status).toBe(200);
    expect(config.json).toMatchObject({ duplicates: 1, retryBaseMs: 10, outOfOrder: false });
    const bad = await raw(h.sim, 'POST', '/_simulator/webhooks/config', 'max_attempts=0');
    expect(bad.status).toBe(400);

    const customer = await h.stripe.customers.create({ email: 'http@example.com' });
    const wait = await raw(h.sim, 'POST', '/_simulator/webhooks/wait', 'timeout_ms=5000');
    expect(wait.json).toEqual({ idle: true });
    expect(receiver.received).toHaveLength(2);

    const rolled = await raw(h.sim, 'POST', `/_simulator/webhook_endpoints/${we.id}/roll_secret`, 'expires_in=0');
    expect(rolled.json).toMatchObject({ id: we.id, secret: expect.stringMatching(/^whsec_/) as unknown });
    await raw(h.sim, 'POST', '/_simulator/webhooks/config', 'duplicates=0');

    const event = (await h.stripe.events.list({ type: 'customer.created' })).data.find((e) => (e.data.object as Stripe.Customer).id === customer.id)!;
    const resent = await raw(h.sim, 'POST', `/_simulator/events/${event.id}/resend`, `webhook_endpoint=${we.id}`);
    expect(resent.status).toBe(200);
    await raw(h.sim, 'POST', '/_simulator/webhooks/wait', '');
    const last = receiver.received.at(-1)!;
    expect(last.eventId).toBe(event.id);
    expect(v1Count(last.signature)).toBe(1);
    expect(h.stripe.webhooks.constructEvent(last.body, last.signature, String(rolled.json['secret'])).id).toBe(event.id);

    const missing = await raw(h.sim, 'POST', '/_simulator/events/evt_missing/resend', '');
    expect(missing.status).toBe(404);

    const deliveries = await raw(h.sim, 'GET', '/_simulator/webhooks/deliveries');
    expect((deliveries.json['data'] as unknown[]).length).toBe(3);
  });

  it('shows local tools the endpoints with their current secrets, which the API shows only once', async () => {
    const we = await endpoint(['customer.created']);
    const rolled = h.sim.webhooks.rollSecret(we.id, { expiresInSeconds: 0 });
    expect(h.sim.webhooks.endpoints()).toEqual([{ id: we.id, url: receiver.url, secret: rolled.secret, enabledEvents: ['customer.created'], status: 'enabled' }]);
    const listed = await raw(h.sim, 'GET', '/_simulator/webhook_endpoints', undefined, { Authorization: '' });
    expect(listed.json['data']).toEqual([expect.objectContaining({ id: we.id, secret: rolled.secret })]);
  });

  it('prints the signing secret of endpoints given on the command line', async () => {
    const main = join(dirname(fileURLToPath(import.meta.url)), '..', 'main.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', main, '--port', '0', '--webhook-url', receiver.url], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    try {
      let output = '';
      const secret = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no secret printed: ${output}`)), 20_000);
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const m = /Webhooks: \S+ \(\*\), signing secret (whsec_\w+)/.exec(output);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
      });
      const url = /listening on (http:\/\/\S+)/.exec(output)![1]!;
      const cli = new Stripe('sk_test_cli', { host: '127.0.0.1', port: Number(new URL(url).port), protocol: 'http', maxNetworkRetries: 0 });
      await cli.customers.create({ email: 'cli-hook@example.com' });
      const [got] = await receiver.waitFor(1);
      expect(h.stripe.webhooks.constructEvent(got!.body, got!.signature, secret).type).toBe('customer.created');
    } finally {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    }
  }, 30_000);

  it('exports the signing function it uses', () => {
    const header = signatureHeader('{"a":1}', ['whsec_a', 'whsec_b'], 1700000000);
    expect(header).toBe(
      `t=1700000000,v1=${createHmac('sha256', 'whsec_a').update('1700000000.{"a":1}').digest('hex')},v1=${createHmac('sha256', 'whsec_b').update('1700000000.{"a":1}').digest('hex')}`,
    );
  });
});
