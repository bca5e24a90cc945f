import Stripe from 'stripe';
import { ServiceUnavailableError } from '@shared/errors/domain-error';
import { HmacWebhookSignatureVerifier } from '../../../src/adapters/stripe/hmac-webhook-signature-verifier';
import { ValibotStripeEventParser } from '../../../src/adapters/stripe/valibot-stripe-event-parser';
import type { WebhookMetrics } from '../../../src/application/ports/webhook-metrics';
import { ReceiveStripeEvent, type ReceiveStripeEventOptions } from '../../../src/application/webhooks/receive-stripe-event';
import { parseSigningSecrets } from '../../../src/application/webhooks/signing-secrets';
import { MalformedStripeEventError } from '../../../src/application/webhooks/event-errors';
import { MalformedWebhookBodyError } from '../../../src/application/webhooks/webhook-errors';
import { InMemoryStripeEventQueue } from '../../fakes/in-memory-stripe-event-queue';
import { InMemoryStripeEventStore } from '../../fakes/in-memory-stripe-event-store';
import { ManualClock } from '../../support/manual-clock';

const stripe = new Stripe('sk_test_unused');
const SECRET = 'whsec_current';

class CountingMetrics implements WebhookMetrics {
  readonly counts: Record<string, number> = {};
  private bump(name: string) {
    this.counts[name] = (this.counts[name] ?? 0) + 1;
  }
  received() {
    this.bump('received');
  }
  duplicate() {
    this.bump('duplicate');
  }
  signatureInvalid(reason: string) {
    this.bump(`signatureInvalid:${reason}`);
  }
  livemodeMismatch() {
    this.bump('livemodeMismatch');
  }
  malformed() {
    this.bump('malformed');
  }
}

function setup(options: Partial<ReceiveStripeEventOptions> = {}) {
  const clock = new ManualClock();
  const store = new InMemoryStripeEventStore();
  const queue = new InMemoryStripeEventQueue();
  const metrics = new CountingMetrics();
  const receive = new ReceiveStripeEvent(new HmacWebhookSignatureVerifier(300), new ValibotStripeEventParser(), store, queue, metrics, clock, {
    livemode: false,
    signingSecret: async () => SECRET,
    inProgressWaitMs: 1_000,
    ...options,
  });
  const deliver = (body: string, secret = SECRET, at = clock.now()) =>
    receive.execute({
      rawBody: Buffer.from(body, 'utf8'),
      signatureHeader: stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: Math.floor(at / 1000) }),
    });
  return { clock, store, queue, metrics, receive, deliver };
}

let counter = 0;
function event(overrides: Record<string, unknown> = {}) {
  counter += 1;
  return JSON.stringify({
    id: `evt_unit${counter}`,
    object: 'event',
    type: 'payment_intent.succeeded',
    created: 1_767_225_600,
    livemode: false,
    api_version: '2025-01-27',
    data: { object: { id: 'pi_1', object: 'payment_intent', amount: 2000, description: 'Ünïcödé ☕' } },
    ...overrides,
  });
}

describe('ReceiveStripeEvent', () => {
  it('records, enqueues and marks a verified event, carrying the whole event as payload', async () => {
    const { deliver, store, queue, metrics, clock } = setup();
    const body = event();
    const parsed = JSON.parse(body) as { id: string };
    expect(await deliver(body)).toEqual({ outcome: 'enqueued', eventId: parsed.id });
    expect(queue.messages).toEqual([{ eventId: parsed.id, type: 'payment_intent.succeeded', created: 1_767_225_600, livemode: false, payload: parsed }]);
    expect(await store.get(parsed.id)).toMatchObject({ status: 'enqueued', receivedAt: clock.now(), ttl: Math.floor(clock.now() / 1000) + 30 * 24 * 3600 });
    expect(metrics.counts).toEqual({ received: 1 });
  });

  it('answers a redelivery of an enqueued or processed event as a duplicate and enqueues nothing', async () => {
    const { deliver, store, queue, metrics, clock } = setup();
    const body = event();
    await deliver(body);
    expect((await deliver(body)).outcome).toBe('duplicate');
    await store.markProcessed(JSON.parse(body).id, clock.now(), 3600);
    expect((await deliver(body)).outcome).toBe('duplicate');
    expect(queue.messages).toHaveLength(1);
    expect(metrics.counts).toEqual({ received: 3, duplicate: 2 });
  });

  it('enqueues a redelivery after an attempt that crashed between recording and enqueueing', async () => {
    const { deliver, store, queue, clock } = setup();
    const body = event();
    const id = (JSON.parse(body) as { id: string }).id;
    queue.failure = new Error('process killed before the send');
    await expect(deliver(body)).rejects.toThrow('process killed');
    queue.failure = undefined;
    expect((await store.get(id))?.status).toBe('received');
    // Stripe's first retry comes minutes later, past the crashed attempt's lease.
    clock.advance(60_000);
    expect(await deliver(body)).toEqual({ outcome: 'enqueued', eventId: id });
    expect(queue.messages.map((m) => m.eventId)).toEqual([id]);
    expect((await store.get(id))?.status).toBe('enqueued');
  });

  it('answers a concurrent delivery once the first has enqueued, and 409 when the first never finishes', async () => {
    const { deliver, store, queue, clock } = setup();
    const body = event();
    const id = (JSON.parse(body) as { id: string }).id;
    await store.recordReceipt({ eventId: id, type: 't', nowMs: clock.now(), ttlSeconds: 3600 });
    const waiting = deliver(body);
    await store.markEnqueued(id);
    expect(await waiting).toEqual({ outcome: 'duplicate', eventId: id });

    const stuck = event();
    const stuckId = (JSON.parse(stuck) as { id: string }).id;
    await store.recordReceipt({ eventId: stuckId, type: 't', nowMs: clock.now(), ttlSeconds: 3600 });
    await expect(deliver(stuck)).rejects.toMatchObject({ code: 'webhook_event_in_progress', kind: 'conflict', retryAfterSeconds: 5 });
    expect(queue.messages).toHaveLength(0);
  });

  it('refuses a bad or missing signature with a stable code, counting it and recording nothing', async () => {
    const { deliver, receive, store, queue, metrics } = setup();
    const body = event();
    await expect(deliver(body, 'whsec_someone_else')).rejects.toMatchObject({ kind: 'validation', code: 'webhook_signature_invalid', details: { reason: 'no_matching_signature' } });
    await expect(receive.execute({ rawBody: Buffer.from(body), signatureHeader: undefined })).rejects.toMatchObject({ code: 'webhook_signature_invalid', details: { reason: 'missing_header' } });
    await expect(deliver(body, SECRET, Date.parse('2025-12-31T23:54:00Z'))).rejects.toMatchObject({ details: { reason: 'timestamp_outside_tolerance' } });
    expect(store.all()).toEqual([]);
    expect(queue.messages).toEqual([]);
    expect(metrics.counts).toEqual({ 'signatureInvalid:no_matching_signature': 1, 'signatureInvalid:missing_header': 1, 'signatureInvalid:timestamp_outside_tolerance': 1 });
  });

  it('accepts either secret while one is rolled', async () => {
    const { deliver, queue } = setup({ signingSecret: async () => 'whsec_new,\n whsec_old' });
    await deliver(event(), 'whsec_old');
    await deliver(event(), 'whsec_new');
    await expect(deliver(event(), 'whsec_other')).rejects.toMatchObject({ code: 'webhook_signature_invalid' });
    expect(queue.messages).toHaveLength(2);
  });

  it('refuses JSON that is not an event, and a body that is not JSON, both signed', async () => {
    const { deliver, store, metrics } = setup();
    await expect(deliver('{"id": "evt_1", "object": "event"')).rejects.toMatchObject({ kind: 'validation', code: 'malformed_json' });
    await expect(deliver(JSON.stringify({ id: 'evt_1', object: 'event', type: 'x' }))).rejects.toMatchObject({ kind: 'validation', code: 'malformed_event' });
    await expect(deliver(event({ id: 'pi_notanevent' }))).rejects.toMatchObject({ code: 'malformed_event' });
    // Named apart from the worker's own malformed-payload error, so a log line says which side refused it.
    await expect(deliver('{')).rejects.toMatchObject({ name: 'MalformedWebhookBodyError' });
    expect(new MalformedStripeEventError('x').name).not.toBe(new MalformedWebhookBodyError('not_json').name);
    expect(store.all()).toEqual([]);
    expect(metrics.counts).toEqual({ malformed: 4 });
  });

  it('drops events of the other mode with a 200 outcome, counted, never recorded', async () => {
    const test = setup();
    expect(await test.deliver(event({ id: 'evt_live1', livemode: true }))).toEqual({ outcome: 'ignored', eventId: 'evt_live1', reason: 'livemode_mismatch' });
    const live = setup({ livemode: true });
    expect((await live.deliver(event({ livemode: false }))).outcome).toBe('ignored');
    expect((await live.deliver(event({ livemode: true }))).outcome).toBe('enqueued');
    expect(test.store.all()).toEqual([]);
    expect(test.metrics.counts).toEqual({ livemodeMismatch: 1 });
    expect(live.queue.messages.map((m) => m.livemode)).toEqual([true]);
  });

  it('is unavailable (503, nothing enqueued) when the table or the queue fails, and the retry enqueues once', async () => {
    const { deliver, store, queue, clock } = setup();
    const body = event();
    const unavailable = new ServiceUnavailableError('down', 'database_unavailable', { retryAfterSeconds: 2 });
    store.failure = unavailable;
    await expect(deliver(body)).rejects.toBe(unavailable);
    store.failure = undefined;
    queue.failure = new ServiceUnavailableError('down', 'queue_unavailable', { retryAfterSeconds: 2 });
    await expect(deliver(body)).rejects.toMatchObject({ code: 'queue_unavailable' });
    queue.failure = undefined;
    clock.advance(60_000);
    expect((await deliver(body)).outcome).toBe('enqueued');
    expect(queue.messages).toHaveLength(1);
  });

  it('answers 200 when only marking enqueued fails: the event is already on the queue', async () => {
    const { deliver, store, queue } = setup();
    store.markEnqueuedFailure = new Error('table went away');
    const body = event();
    expect((await deliver(body)).outcome).toBe('enqueued');
    expect(queue.messages).toHaveLength(1);
  });

  it('is unavailable when the signing secret cannot be read or is empty', async () => {
    await expect(setup({ signingSecret: async () => Promise.reject(new Error('no secret')) }).deliver(event())).rejects.toMatchObject({ kind: 'unavailable', code: 'secrets_unavailable' });
    await expect(setup({ signingSecret: async () => ' ,\n' }).deliver(event())).rejects.toMatchObject({ code: 'secrets_unavailable' });
  });
});

describe('parseSigningSecrets', () => {
  it('reads one secret, or several separated by commas, spaces or newlines, without blanks or repeats', () => {
    expect(parseSigningSecrets('whsec_a')).toEqual(['whsec_a']);
    expect(parseSigningSecrets(' whsec_a,whsec_b\nwhsec_c \r\n whsec_a,')).toEqual(['whsec_a', 'whsec_b', 'whsec_c']);
    expect(parseSigningSecrets('')).toEqual([]);
  });
});
