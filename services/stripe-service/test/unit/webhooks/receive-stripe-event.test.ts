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
  it('records and enqueues a verified event in two calls, carrying the whole event as payload, and leaves the record to the worker', async () => {
    const { deliver, store, queue, metrics, clock } = setup();
    const body = event();
    const parsed = JSON.parse(body) as { id: string };
    expect(await deliver(body)).toEqual({ outcome: 'enqueued', eventId: parsed.id });
    expect(queue.messages).toEqual([{ eventId: parsed.id, type: 'payment_intent.succeeded', created: 1_767_225_600, livemode: false, payload: parsed }]);
    // The conditional put and the send, nothing after it: the worker's mark closes the record.
    expect(store.calls).toEqual(['recordReceipt']);
    expect(await store.get(parsed.id)).toMatchObject({ status: 'received', receivedAt: clock.now(), ttl: Math.floor(clock.now() / 1000) + 30 * 24 * 3600 });
    expect(metrics.counts).toEqual({ received: 1 });
  });

  it('answers a redelivery of a processed event, or of one an older deploy marked enqueued, as a duplicate at once and enqueues nothing', async () => {
    const { deliver, store, queue, metrics, clock } = setup();
    const body = event();
    const id = (JSON.parse(body) as { id: string }).id;
    await deliver(body);
    await store.markProcessed(id, clock.now(), 30 * 24 * 3600);
    store.calls.length = 0;
    expect(await deliver(body)).toEqual({ outcome: 'duplicate', eventId: id });
    // Long after any lease, too.
    clock.advance(3_600_000);
    expect((await deliver(body)).outcome).toBe('duplicate');

    const legacy = event();
    const legacyId = (JSON.parse(legacy) as { id: string }).id;
    store.writeEnqueuedRecord({ eventId: legacyId, type: 'payment_intent.succeeded', receivedAt: clock.now() - 60_000, ttl: Math.floor(clock.now() / 1000) + 3600 });
    expect(await deliver(legacy)).toEqual({ outcome: 'duplicate', eventId: legacyId });
    expect(queue.messages.map((m) => m.eventId)).toEqual([id]);
    expect(store.calls).toEqual(['recordReceipt', 'recordReceipt', 'recordReceipt']);
    expect(metrics.counts).toEqual({ received: 4, duplicate: 3 });
  });

  it('answers 409 to a redelivery while the first is in flight (sent, not processed yet), enqueueing nothing, after waiting with spaced reads', async () => {
    const { deliver, store, queue, metrics, clock } = setup();
    const body = event();
    const id = (JSON.parse(body) as { id: string }).id;
    await deliver(body);
    store.calls.length = 0;
    const started = clock.now();
    await expect(deliver(body)).rejects.toMatchObject({ code: 'webhook_event_in_progress', kind: 'conflict', retryAfterSeconds: 5 });
    expect(clock.now() - started).toBe(1_000);
    // Reads spaced from 25 ms doubling to 200 ms, the last at the deadline: eight in a second, not forty.
    expect(store.calls.filter((c) => c === 'get')).toHaveLength(8);
    expect(queue.messages.map((m) => m.eventId)).toEqual([id]);
    expect(metrics.counts).toEqual({ received: 2 });
  });

  it('answers 409 at once, reading nothing more, when told not to wait (the replay)', async () => {
    const { deliver, store, queue, clock } = setup({ inProgressWaitMs: 0 });
    const body = event();
    await deliver(body);
    store.calls.length = 0;
    const started = clock.now();
    await expect(deliver(body)).rejects.toMatchObject({ code: 'webhook_event_in_progress' });
    expect(clock.now()).toBe(started);
    expect(store.calls).toEqual(['recordReceipt']);
    expect(queue.messages).toHaveLength(1);
  });

  it('lets one of many concurrent deliveries enqueue while inside the lease; the others 409', async () => {
    const { deliver, queue } = setup();
    const body = event();
    const answers = await Promise.allSettled(Array.from({ length: 10 }, () => deliver(body)));
    expect(answers.filter((a) => a.status === 'fulfilled').map((a) => a.value.outcome)).toEqual(['enqueued']);
    const refused = answers.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
    expect(refused.map((a) => (a.reason as { code: string }).code)).toEqual(Array.from({ length: 9 }, () => 'webhook_event_in_progress'));
    expect(queue.messages).toHaveLength(1);
  });

  it('takes over a record still received past its lease and enqueues a second copy: the first was sent but not processed in time', async () => {
    const { deliver, store, queue, clock } = setup();
    const body = event();
    const id = (JSON.parse(body) as { id: string }).id;
    await deliver(body);
    clock.advance(30_000);
    expect(await deliver(body)).toEqual({ outcome: 'enqueued', eventId: id });
    expect(queue.messages.map((m) => m.eventId)).toEqual([id, id]);
    // The worker applies one copy and marks it; the next redelivery is a duplicate.
    await store.markProcessed(id, clock.now(), 3600);
    expect((await deliver(body)).outcome).toBe('duplicate');
    expect(queue.messages).toHaveLength(2);
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
    expect(await store.get(id)).toMatchObject({ status: 'received', receivedAt: clock.now() });
  });

  it('answers a concurrent delivery 200 once the worker has processed the event, and 409 when the first delivery never sends it', async () => {
    const { deliver, store, queue, clock } = setup();
    const body = event();
    const id = (JSON.parse(body) as { id: string }).id;
    await store.recordReceipt({ eventId: id, type: 't', nowMs: clock.now(), ttlSeconds: 3600 });
    const waiting = deliver(body);
    await store.markProcessed(id, clock.now(), 3600);
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
