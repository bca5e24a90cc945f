// The replay composed as `npm run replay` composes it, on the Stripe adapter over the in-process
// Stripe simulator, whose clock is the test's: every wait (request rate, backoff) moves the clock
// and is noted, none is slept.
import { startStripeSimulator, type StripeSimulator } from '../../../../../scripts/stripe-simulator/index';
import { createStripeClient } from '../../../src/adapters/stripe/stripe-client';
import type { EventGateway } from '../../../src/application/ports/event-gateway';
import type { ReplayCheckpoint, ReplayCounts } from '../../../src/application/ports/replay-checkpoint-store';
import { DEFAULT_RECEIPT_LEASE_MS } from '../../../src/application/ports/stripe-event-store';
import { EnqueueStripeEvent } from '../../../src/application/webhooks/enqueue-stripe-event';
import { ReplayCheckpointMismatchError } from '../../../src/application/webhooks/replay-errors';
import { ReplayStripeEvents, type ReplayOptions } from '../../../src/application/webhooks/replay-stripe-events';
import { stripeGateways } from '../../contract/stripe-gateways';
import { InMemoryReplayCheckpointStore } from '../../fakes/in-memory-replay-checkpoint-store';
import { InMemoryStripeEventQueue } from '../../fakes/in-memory-stripe-event-queue';
import { InMemoryStripeEventStore } from '../../fakes/in-memory-stripe-event-store';
import { ManualClock, RecordingClock } from '../../support/manual-clock';

const API_KEY = 'sk_test_replay_unit';
const START = Date.parse('2026-11-01T00:00:00Z');

/** The manual clock, noting each wait and letting a test act once a given number of waits is over. */
/** The checkpoint store, noting at each save how many messages the queue held and the time. */
class WatchedCheckpoints extends InMemoryReplayCheckpointStore {
  readonly atSave: { queued: number; now: number }[] = [];
  clears = 0;

  constructor(
    private readonly queue: InMemoryStripeEventQueue,
    private readonly clock: ManualClock,
  ) {
    super();
  }

  override async save(checkpoint: ReplayCheckpoint): Promise<void> {
    this.atSave.push({ queued: this.queue.messages.length, now: this.clock.now() });
    await super.save(checkpoint);
  }

  override async clear(): Promise<void> {
    this.clears += 1;
    await super.clear();
  }
}

type ListInput = Parameters<EventGateway['listEvents']>[0];

let simulator: StripeSimulator;
let clock: RecordingClock;
let since: number;
/** customer.created events, newest first, as the simulator holds them. */
let customerEvents: ReturnType<StripeSimulator['events']>;

beforeAll(async () => {
  clock = new RecordingClock(START);
  simulator = await startStripeSimulator({ port: 0, apiKey: API_KEY, now: () => clock.now() });
  since = simulator.now() - 1;
  const stripe = await createStripeClient({ apiKey: API_KEY, apiUrl: simulator.url, maxNetworkRetries: 0 });
  for (let i = 0; i < 5; i++) await stripe.customers.create({ email: `replay-unit-${i}@example.com` });
  for (let i = 0; i < 2; i++) await stripe.products.create({ name: `Replay unit ${i}` });
  customerEvents = simulator.events().filter((e) => e.type === 'customer.created');
}, 30_000);

afterAll(async () => simulator?.stop());

beforeEach(() => {
  clock = new RecordingClock(START + 60_000);
  simulator.faults.clear();
});

/** The Stripe event gateway on the simulator, noting what each call asked for and whether it answered. */
function recordedGateway(apiKey = API_KEY, alter: (payload: unknown, index: number) => unknown = (payload) => payload) {
  const real = stripeGateways(apiKey, simulator.url).events;
  const calls: { input: ListInput; ok: boolean }[] = [];
  let seen = 0;
  const gateway: EventGateway = {
    listEvents: async (input) => {
      const copy = structuredClone(input);
      try {
        const page = await real.listEvents(input);
        calls.push({ input: copy, ok: true });
        return { ...page, events: page.events.map((event) => ({ ...event, payload: alter(event.payload, seen++) })) };
      } catch (error) {
        calls.push({ input: copy, ok: false });
        throw error;
      }
    },
  };
  return { gateway, calls };
}

/** As scripts/replay.ts composes it: an event in flight is counted, not waited for. */
function replay(options: ReplayOptions = {}, setup: { gateway?: EventGateway; inProgressWaitMs?: number } = {}) {
  const recorded = recordedGateway();
  const store = new InMemoryStripeEventStore();
  const queue = new InMemoryStripeEventQueue();
  const checkpoints = new WatchedCheckpoints(queue, clock);
  const enqueue = new EnqueueStripeEvent(store, queue, clock, { inProgressWaitMs: setup.inProgressWaitMs ?? 0 });
  const useCase = new ReplayStripeEvents(setup.gateway ?? recorded.gateway, store, queue, enqueue, checkpoints, clock, options);
  return { store, queue, checkpoints, useCase, calls: recorded.calls };
}

const counts = (overrides: Partial<ReplayCounts>): ReplayCounts => ({ pages: 0, seen: 0, enqueued: 0, processed: 0, pending: 0, concurrent: 0, wouldEnqueue: 0, ...overrides });
const ids = () => customerEvents.map((e) => e.id);
const CUSTOMERS = ['customer.created'];

async function markProcessed(store: InMemoryStripeEventStore, eventId: string) {
  await store.markProcessed(eventId, clock.now(), 3600);
}
function markEnqueuedByOlderDeploy(store: InMemoryStripeEventStore, eventId: string) {
  store.writeEnqueuedRecord({ eventId, type: 'customer.created', receivedAt: clock.now(), ttl: Math.floor(clock.now() / 1000) + 3600 });
}
async function recordedMomentsAgo(store: InMemoryStripeEventStore, eventId: string) {
  await store.recordReceipt({ eventId, type: 'customer.created', nowMs: clock.now(), ttlSeconds: 3600 });
}

describe('ReplayStripeEvents', () => {
  it('feeds each event since the time once, newest first, a page at a time, saving a checkpoint after each page but the last', async () => {
    const { queue, checkpoints, useCase, calls } = replay({ pageSize: 2 });
    const progress: ReplayCounts[] = [];
    const result = await useCase.execute({ since, types: CUSTOMERS, onProgress: (c) => progress.push(c) });
    expect(result).toEqual({ counts: counts({ pages: 3, seen: 5, enqueued: 5 }), resumed: false });
    expect(queue.messages).toEqual(customerEvents.map((e) => ({ eventId: e.id, type: 'customer.created', created: e.created, livemode: false, payload: e })));
    const [, b, , d] = ids();
    expect(calls.map((call) => call.input)).toEqual([
      { types: CUSTOMERS, createdAfter: since, limit: 2 },
      { types: CUSTOMERS, createdAfter: since, startingAfter: b, limit: 2 },
      { types: CUSTOMERS, createdAfter: since, startingAfter: d, limit: 2 },
    ]);
    expect(progress).toEqual([counts({ pages: 1, seen: 2, enqueued: 2 }), counts({ pages: 2, seen: 4, enqueued: 4 }), counts({ pages: 3, seen: 5, enqueued: 5 })]);
    expect(checkpoints.history).toEqual([
      { since, types: CUSTOMERS, cursor: b, counts: counts({ pages: 1, seen: 2, enqueued: 2 }), updatedAt: checkpoints.atSave[0]?.now },
      { since, types: CUSTOMERS, cursor: d, counts: counts({ pages: 2, seen: 4, enqueued: 4 }), updatedAt: checkpoints.atSave[1]?.now },
    ]);
    // A checkpoint is written only once the events before it are on the queue.
    expect(checkpoints.atSave.map((s) => s.queued)).toEqual([2, 4]);
    expect(checkpoints.atSave[1]!.now).toBeGreaterThan(checkpoints.atSave[0]!.now);
    expect(checkpoints.clears).toBe(1);
    expect(await checkpoints.load()).toBeUndefined();
    // Stripe's test-mode 25 requests a second: 40 ms between pages.
    expect(clock.sleeps).toEqual([40, 40]);
  });

  it('reads pages of 100 events of every type by default, asking for no type and no cursor', async () => {
    const { queue, checkpoints, useCase, calls } = replay();
    const result = await useCase.execute({ since });
    expect(result).toEqual({ counts: counts({ pages: 1, seen: 7, enqueued: 7 }), resumed: false });
    expect(calls.map((call) => call.input)).toEqual([{ createdAfter: since, limit: 100 }]);
    expect(queue.messages.map((m) => m.type).sort()).toEqual(['customer.created', 'customer.created', 'customer.created', 'customer.created', 'customer.created', 'product.created', 'product.created']);
    expect(checkpoints.history).toEqual([]);
    expect(checkpoints.clears).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('asks for each type once, in a fixed order, and saves them so in the checkpoint', async () => {
    const { checkpoints, useCase, calls } = replay({ pageSize: 4 });
    const result = await useCase.execute({ since, types: ['product.created', 'customer.created', 'product.created'] });
    expect(result.counts).toEqual(counts({ pages: 2, seen: 7, enqueued: 7 }));
    expect(calls.map((call) => call.input.types)).toEqual([
      ['customer.created', 'product.created'],
      ['customer.created', 'product.created'],
    ]);
    expect(checkpoints.history.map((saved) => saved.types)).toEqual([['customer.created', 'product.created']]);
  });

  it('keeps to the request rate it is given', async () => {
    const { useCase } = replay({ pageSize: 1, ratePerSecond: 10 });
    const result = await useCase.execute({ since, types: CUSTOMERS });
    expect(result.counts).toEqual(counts({ pages: 5, seen: 5, enqueued: 5 }));
    expect(clock.sleeps).toEqual([100, 100, 100, 100]);
  });

  describe('what the events worker already has', () => {
    async function prepared(options: ReplayOptions = {}) {
      const h = replay(options);
      const [processed, olderDeploy, inFlight] = ids();
      await markProcessed(h.store, processed!);
      markEnqueuedByOlderDeploy(h.store, olderDeploy!);
      await recordedMomentsAgo(h.store, inFlight!);
      h.store.calls.length = 0;
      return { ...h, processed: processed!, olderDeploy: olderDeploy!, inFlight: inFlight!, rest: ids().slice(3) };
    }

    it('skips what was processed, counts as pending what an older deploy marked enqueued, and as concurrent what is in flight', async () => {
      const { queue, store, useCase, olderDeploy, inFlight, rest } = await prepared();
      const result = await useCase.execute({ since, types: CUSTOMERS });
      expect(result).toEqual({ counts: counts({ pages: 1, seen: 5, processed: 1, pending: 1, concurrent: 1, enqueued: 2 }), resumed: false });
      expect(queue.messages.map((m) => m.eventId)).toEqual(rest);
      expect((await store.get(olderDeploy))?.status).toBe('enqueued');
      expect((await store.get(inFlight))?.status).toBe('received');
    });

    it('asked to, sends again what an older deploy marked enqueued, straight to the queue, leaving its record as it is', async () => {
      const { queue, store, useCase, olderDeploy, rest } = await prepared();
      const result = await useCase.execute({ since, types: CUSTOMERS, includeEnqueued: true });
      expect(result.counts).toEqual(counts({ pages: 1, seen: 5, processed: 1, concurrent: 1, enqueued: 3 }));
      expect(queue.messages.map((m) => m.eventId)).toEqual([olderDeploy, ...rest]);
      expect(await store.get(olderDeploy)).toMatchObject({ status: 'enqueued', receivedAt: clock.now() });
      // Five reads, and a receipt for each of the two never seen and the one in flight: none for the older deploy's.
      expect(store.calls.filter((call) => call === 'recordReceipt')).toHaveLength(3);
    });

    it('a dry run counts what it would feed, feeds nothing, and leaves any checkpoint alone', async () => {
      const { queue, store, checkpoints, useCase } = await prepared({ pageSize: 2 });
      const earlier: ReplayCheckpoint = { since, types: CUSTOMERS, cursor: 'evt_earlier', counts: counts({ pages: 1, seen: 2 }), updatedAt: 1 };
      await checkpoints.save(earlier);
      const result = await useCase.execute({ since, types: CUSTOMERS, dryRun: true });
      expect(result).toEqual({ counts: counts({ pages: 3, seen: 5, processed: 1, pending: 1, wouldEnqueue: 3 }), resumed: false });
      expect(queue.messages).toEqual([]);
      expect(store.calls.every((call) => call === 'get')).toBe(true);
      expect(checkpoints.history).toEqual([earlier]);
      expect(checkpoints.clears).toBe(0);
      expect(await checkpoints.load()).toEqual(earlier);

      const withEnqueued = await useCase.execute({ since, types: CUSTOMERS, dryRun: true, includeEnqueued: true });
      expect(withEnqueued.counts).toEqual(counts({ pages: 3, seen: 5, processed: 1, wouldEnqueue: 4 }));
      expect(queue.messages).toEqual([]);
    });

    it('feeds again what is still received past its lease', async () => {
      const { queue, useCase, inFlight, rest } = await prepared();
      clock.advance(DEFAULT_RECEIPT_LEASE_MS);
      const result = await useCase.execute({ since, types: CUSTOMERS });
      expect(result.counts).toEqual(counts({ pages: 1, seen: 5, processed: 1, pending: 1, enqueued: 3 }));
      expect(queue.messages.map((m) => m.eventId)).toEqual([inFlight, ...rest]);
    });

    it('counts as concurrent an event the worker processed while the replay waited on its delivery', async () => {
      const h = replay({}, { inProgressWaitMs: 1_000 });
      const [first] = ids();
      await recordedMomentsAgo(h.store, first!);
      clock.afterSleep = async (count) => {
        if (count === 1) await markProcessed(h.store, first!);
      };
      const result = await h.useCase.execute({ since, types: CUSTOMERS });
      expect(result.counts).toEqual(counts({ pages: 1, seen: 5, concurrent: 1, enqueued: 4 }));
      expect(h.queue.messages.map((m) => m.eventId)).toEqual(ids().slice(1));
    });

    it('stops at a queue that fails, without saving a checkpoint past it', async () => {
      const h = replay({ pageSize: 2 });
      let sent = 0;
      const enqueue = h.queue.enqueue.bind(h.queue);
      h.queue.enqueue = async (message) => {
        sent += 1;
        if (sent === 3) throw new Error('QueueDoesNotExist');
        return enqueue(message);
      };
      await expect(h.useCase.execute({ since, types: CUSTOMERS })).rejects.toThrow('QueueDoesNotExist');
      expect(h.checkpoints.history.map((saved) => saved.cursor)).toEqual([ids()[1]]);
      expect(h.checkpoints.clears).toBe(0);
      expect(await h.checkpoints.load()).toMatchObject({ cursor: ids()[1], counts: counts({ pages: 1, seen: 2, enqueued: 2 }) });
    });
  });

  describe('resuming', () => {
    const saved = (overrides: Partial<ReplayCheckpoint> = {}): ReplayCheckpoint => ({
      since,
      types: CUSTOMERS,
      cursor: ids()[1]!,
      counts: counts({ pages: 1, seen: 2, enqueued: 2, processed: 0 }),
      updatedAt: START,
      ...overrides,
    });

    it('continues after the checkpoint\'s cursor, adding to its counts, and clears it at the end', async () => {
      const { queue, checkpoints, useCase, calls } = replay({ pageSize: 2 });
      await checkpoints.save(saved());
      const result = await useCase.execute({ since, types: ['customer.created', 'customer.created'], resume: true });
      expect(result).toEqual({ counts: counts({ pages: 3, seen: 5, enqueued: 5 }), resumed: true });
      expect(calls[0]?.input).toEqual({ types: CUSTOMERS, createdAfter: since, startingAfter: ids()[1], limit: 2 });
      expect(queue.messages.map((m) => m.eventId)).toEqual(ids().slice(2));
      expect(checkpoints.history.map((c) => c.counts)).toEqual([saved().counts, counts({ pages: 2, seen: 4, enqueued: 4 })]);
      expect(await checkpoints.load()).toBeUndefined();
    });

    it('without --resume, starts over whatever was saved', async () => {
      const { queue, checkpoints, useCase, calls } = replay();
      await checkpoints.save(saved());
      const result = await useCase.execute({ since, types: CUSTOMERS });
      expect(result).toEqual({ counts: counts({ pages: 1, seen: 5, enqueued: 5 }), resumed: false });
      expect(calls[0]?.input).toEqual({ types: CUSTOMERS, createdAfter: since, limit: 100 });
      expect(queue.messages).toHaveLength(5);
    });

    it('with nothing saved, starts at the beginning', async () => {
      const { useCase, calls } = replay();
      const result = await useCase.execute({ since, types: CUSTOMERS, resume: true });
      expect(result).toEqual({ counts: counts({ pages: 1, seen: 5, enqueued: 5 }), resumed: false });
      expect(calls[0]?.input).not.toHaveProperty('startingAfter');
    });

    it('refuses a checkpoint of another start time or other types, naming them, and reads nothing', async () => {
      const cases: { checkpoint: ReplayCheckpoint; types: string[] | undefined; names: string }[] = [
        { checkpoint: saved({ since: since - 60 }), types: CUSTOMERS, names: 'customer.created' },
        { checkpoint: saved({ types: ['customer.created', 'product.created'] }), types: CUSTOMERS, names: 'customer.created, product.created' },
        { checkpoint: saved({ types: [] }), types: CUSTOMERS, names: 'every type' },
        { checkpoint: saved(), types: undefined, names: 'customer.created' },
      ];
      for (const { checkpoint, types, names } of cases) {
        const { checkpoints, useCase, calls, queue } = replay();
        await checkpoints.save(checkpoint);
        const refusal = await useCase.execute({ since, ...(types ? { types } : {}), resume: true }).catch((error: unknown) => error);
        expect(refusal).toBeInstanceOf(ReplayCheckpointMismatchError);
        expect(refusal).toMatchObject({
          kind: 'conflict',
          code: 'replay_checkpoint_mismatch',
          message: `The checkpoint is of a replay since ${new Date(checkpoint.since * 1000).toISOString()} for ${names}; resume it with those options, or start over without --resume.`,
        });
        expect(calls).toEqual([]);
        expect(queue.messages).toEqual([]);
        expect(await checkpoints.load()).toEqual(checkpoint);
      }
    });
  });

  describe('when Stripe refuses or fails', () => {
    it('tries a page 8 times by default, backing off 1 s doubled up to 30 s, and gives up with the last failure', async () => {
      simulator.faults.inject({ kind: 'server_error', path: '/v1/events', count: 7 });
      const { useCase, calls } = replay();
      const result = await useCase.execute({ since, types: CUSTOMERS });
      expect(result.counts).toEqual(counts({ pages: 1, seen: 5, enqueued: 5 }));
      expect(calls.map((call) => call.ok)).toEqual([false, false, false, false, false, false, false, true]);
      expect(clock.sleeps).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);

      simulator.faults.inject({ kind: 'server_error', path: '/v1/events', count: 8 });
      clock.sleeps.length = 0;
      const again = replay();
      await expect(again.useCase.execute({ since, types: CUSTOMERS })).rejects.toMatchObject({ kind: 'unavailable', code: 'payment_provider_unavailable' });
      expect(again.calls).toHaveLength(8);
      expect(clock.sleeps).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
      expect(again.checkpoints.clears).toBe(0);
    });

    it('backs off as it is told: its first wait, its longest, and its number of attempts', async () => {
      simulator.faults.inject({ kind: 'server_error', path: '/v1/events', count: 4 });
      const { useCase, calls } = replay({ backoffBaseMs: 100, backoffMaxMs: 350, maxAttempts: 5 });
      await useCase.execute({ since, types: CUSTOMERS });
      expect(calls).toHaveLength(5);
      expect(clock.sleeps).toEqual([100, 200, 350, 350]);

      simulator.faults.inject({ kind: 'server_error', path: '/v1/events', count: 3 });
      clock.sleeps.length = 0;
      const giveUp = replay({ backoffBaseMs: 100, maxAttempts: 3 });
      await expect(giveUp.useCase.execute({ since, types: CUSTOMERS })).rejects.toMatchObject({ kind: 'unavailable' });
      expect(giveUp.calls).toHaveLength(3);
      expect(clock.sleeps).toEqual([100, 200]);
    });

    it('after a 429 waits what Stripe implies (2 s) when that is longer than its own backoff', async () => {
      simulator.faults.inject({ kind: 'rate_limit', path: '/v1/events', count: 4 });
      const { useCase, calls } = replay({ backoffBaseMs: 1_000 });
      await useCase.execute({ since, types: CUSTOMERS });
      expect(calls.map((call) => call.ok)).toEqual([false, false, false, false, true]);
      expect(clock.sleeps).toEqual([2_000, 2_000, 4_000, 8_000]);

      simulator.faults.inject({ kind: 'rate_limit', path: '/v1/events', count: 2 });
      clock.sleeps.length = 0;
      const limited = replay({ maxAttempts: 2 });
      await expect(limited.useCase.execute({ since, types: CUSTOMERS })).rejects.toMatchObject({ kind: 'rate_limited', retryAfterSeconds: 2 });
      expect(limited.calls).toHaveLength(2);
      expect(clock.sleeps).toEqual([2_000]);
    });

    it('gives up at once on a failure a retry cannot mend', async () => {
      // Stripe answers at most 100 events a page: more is an invalid request, the same every time.
      const { useCase, checkpoints, calls } = replay({ pageSize: 101 });
      const failure = await useCase.execute({ since, types: CUSTOMERS }).catch((error: unknown) => error);
      expect(failure).toMatchObject({ kind: 'validation' });
      expect(calls).toEqual([{ input: { types: CUSTOMERS, createdAfter: since, limit: 101 }, ok: false }]);
      expect(clock.sleeps).toEqual([]);
      expect(checkpoints.clears).toBe(0);
    });
  });

  it('marks a message live only when its event says livemode true', async () => {
    const payloads: unknown[] = [{ id: 'evt_live', livemode: true }, { id: 'evt_string', livemode: 'true' }, null, 'not an object', { id: 'evt_none' }];
    const altered = recordedGateway(API_KEY, (_payload, index) => payloads[index]);
    const { queue, useCase } = replay({}, { gateway: altered.gateway });
    await useCase.execute({ since, types: CUSTOMERS });
    expect(queue.messages.map((m) => [m.livemode, m.payload])).toEqual(payloads.map((payload, index) => [index === 0, payload]));
  });
});
