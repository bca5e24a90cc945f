import { DEFAULT_RECEIPT_LEASE_MS, STRIPE_EVENT_RECORD_TTL_SECONDS } from '../../../src/application/ports/stripe-event-store';
import type { StripeEventMessage } from '../../../src/application/ports/stripe-event-queue';
import { DEFAULT_IN_PROGRESS_WAIT_MS, EnqueueStripeEvent, type EnqueueStripeEventOptions } from '../../../src/application/webhooks/enqueue-stripe-event';
import { WebhookEventInProgressError } from '../../../src/application/webhooks/webhook-errors';
import { InMemoryStripeEventQueue } from '../../fakes/in-memory-stripe-event-queue';
import { InMemoryStripeEventStore } from '../../fakes/in-memory-stripe-event-store';
import { ManualClock, RecordingClock } from '../../support/manual-clock';

/** The manual clock, noting each wait and letting a test act once a given number of waits is over. */
function setup(options?: EnqueueStripeEventOptions) {
  const clock = new RecordingClock();
  const store = new InMemoryStripeEventStore();
  const queue = new InMemoryStripeEventQueue();
  const enqueue = new EnqueueStripeEvent(store, queue, clock, options);
  return { clock, store, queue, enqueue };
}

let counter = 0;
function message(overrides: Partial<StripeEventMessage> = {}): StripeEventMessage {
  counter += 1;
  const eventId = `evt_enqueue${counter}`;
  return { eventId, type: 'invoice.paid', created: 1_767_225_600, livemode: true, payload: { id: eventId, object: 'event', data: { object: { id: 'in_1' } } }, ...overrides };
}

/** Another delivery of the event recorded it moments ago and has not been processed. */
async function heldByAnother(store: InMemoryStripeEventStore, clock: ManualClock, event: StripeEventMessage) {
  expect(await store.recordReceipt({ eventId: event.eventId, type: event.type, nowMs: clock.now(), ttlSeconds: 3600 })).toEqual({ kind: 'enqueue' });
  store.calls.length = 0;
}

describe('EnqueueStripeEvent', () => {
  it('records the event, then sends it whole, in two calls, and leaves the record received for the worker to close', async () => {
    const { clock, store, queue, enqueue } = setup();
    const event = message();
    clock.advance(1_234);
    expect(await enqueue.execute(event)).toBe('enqueued');
    expect(queue.messages).toEqual([event]);
    expect(store.calls).toEqual(['recordReceipt']);
    expect(await store.get(event.eventId)).toEqual({
      eventId: event.eventId,
      type: 'invoice.paid',
      status: 'received',
      receivedAt: clock.now(),
      processedAt: undefined,
      ttl: Math.floor(clock.now() / 1000) + STRIPE_EVENT_RECORD_TTL_SECONDS,
    });
    expect(STRIPE_EVENT_RECORD_TTL_SECONDS).toBe(30 * 24 * 3600);
    expect(clock.sleeps).toEqual([]);
  });

  it('keeps the record as long as it is told to', async () => {
    const { clock, store, enqueue } = setup({ ttlSeconds: 600 });
    const event = message();
    await enqueue.execute(event);
    expect((await store.get(event.eventId))?.ttl).toBe(Math.floor(clock.now() / 1000) + 600);
  });

  it('records before it sends: a table that fails sends nothing, a queue that fails leaves the record received', async () => {
    const { store, queue, enqueue } = setup();
    const first = message();
    store.failure = new Error('ProvisionedThroughputExceededException');
    await expect(enqueue.execute(first)).rejects.toThrow('ProvisionedThroughputExceededException');
    expect(queue.messages).toEqual([]);

    store.failure = undefined;
    const second = message();
    queue.failure = new Error('QueueDoesNotExist');
    await expect(enqueue.execute(second)).rejects.toThrow('QueueDoesNotExist');
    expect((await store.get(second.eventId))?.status).toBe('received');
  });

  it('answers a processed event as a duplicate at once, sending nothing and reading nothing more', async () => {
    const { clock, store, queue, enqueue } = setup();
    const event = message();
    await store.markProcessed(event.eventId, clock.now(), 3600);
    store.calls.length = 0;
    expect(await enqueue.execute(event)).toBe('duplicate');
    expect(queue.messages).toEqual([]);
    expect(store.calls).toEqual(['recordReceipt']);
    expect(clock.sleeps).toEqual([]);
  });

  it('answers an event an older deploy marked enqueued as a duplicate at once', async () => {
    const { clock, store, queue, enqueue } = setup();
    const event = message();
    store.writeEnqueuedRecord({ eventId: event.eventId, type: event.type, receivedAt: clock.now(), ttl: Math.floor(clock.now() / 1000) + 3600 });
    expect(await enqueue.execute(event)).toBe('duplicate');
    expect(queue.messages).toEqual([]);
    expect(store.calls).toEqual(['recordReceipt']);
  });

  it('takes over an event still received past its lease and sends it again', async () => {
    const { clock, store, queue, enqueue } = setup();
    const event = message();
    await heldByAnother(store, clock, event);
    clock.advance(DEFAULT_RECEIPT_LEASE_MS);
    expect(await enqueue.execute(event)).toBe('enqueued');
    expect(queue.messages).toEqual([event]);
    expect(clock.sleeps).toEqual([]);
  });

  describe('an event another delivery holds', () => {
    it('waits 1 s by default, reading the record at spaced-out times (25 ms, doubling to 200 ms, the last cut to the deadline), then answers in progress', async () => {
      expect(DEFAULT_IN_PROGRESS_WAIT_MS).toBe(1_000);
      const { clock, store, queue, enqueue } = setup();
      const event = message();
      await heldByAnother(store, clock, event);
      const start = clock.now();
      const refusal = await enqueue.execute(event).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(WebhookEventInProgressError);
      expect(refusal).toMatchObject({ kind: 'conflict', code: 'webhook_event_in_progress', retryAfterSeconds: 5, message: 'Another delivery of this event is in flight and not processed yet; retry shortly.' });
      expect(clock.sleeps).toEqual([25, 50, 100, 200, 200, 200, 200, 25]);
      expect(clock.now() - start).toBe(1_000);
      expect(store.calls).toEqual(['recordReceipt', ...Array.from({ length: 8 }, () => 'get')]);
      expect(queue.messages).toEqual([]);
    });

    it('waits as long as it is told to', async () => {
      const { clock, store, enqueue } = setup({ inProgressWaitMs: 120 });
      const event = message();
      await heldByAnother(store, clock, event);
      await expect(enqueue.execute(event)).rejects.toBeInstanceOf(WebhookEventInProgressError);
      expect(clock.sleeps).toEqual([25, 50, 45]);
      expect(store.calls).toEqual(['recordReceipt', 'get', 'get', 'get']);
    });

    it('told not to wait (the replay), answers in progress at once without reading the record', async () => {
      const { clock, store, queue, enqueue } = setup({ inProgressWaitMs: 0 });
      const event = message();
      await heldByAnother(store, clock, event);
      await expect(enqueue.execute(event)).rejects.toBeInstanceOf(WebhookEventInProgressError);
      expect(clock.sleeps).toEqual([]);
      expect(store.calls).toEqual(['recordReceipt']);
      expect(queue.messages).toEqual([]);
    });

    it('answers a duplicate as soon as the worker has processed it, reading no more', async () => {
      const { clock, store, queue, enqueue } = setup();
      const event = message();
      await heldByAnother(store, clock, event);
      clock.afterSleep = async (count) => {
        if (count === 3) await store.markProcessed(event.eventId, clock.now(), 3600);
      };
      expect(await enqueue.execute(event)).toBe('duplicate');
      expect(clock.sleeps).toEqual([25, 50, 100]);
      expect(store.calls.filter((call) => call === 'get')).toHaveLength(3);
      expect(queue.messages).toEqual([]);
    });

    it('answers a duplicate once the record reads enqueued (an older deploy\'s mark)', async () => {
      const { clock, store, enqueue } = setup();
      const event = message();
      await heldByAnother(store, clock, event);
      clock.afterSleep = async (count) => {
        if (count === 1) store.writeEnqueuedRecord({ eventId: event.eventId, type: event.type, receivedAt: clock.now(), ttl: Math.floor(clock.now() / 1000) + 3600 });
      };
      expect(await enqueue.execute(event)).toBe('duplicate');
      expect(clock.sleeps).toEqual([25]);
    });

    it('answers a duplicate when the worker processes it at the last read before the deadline', async () => {
      const { clock, store, enqueue } = setup();
      const event = message();
      await heldByAnother(store, clock, event);
      clock.afterSleep = async (count) => {
        if (count === 8) await store.markProcessed(event.eventId, clock.now(), 3600);
      };
      expect(await enqueue.execute(event)).toBe('duplicate');
      expect(clock.sleeps).toHaveLength(8);
    });
  });
});
