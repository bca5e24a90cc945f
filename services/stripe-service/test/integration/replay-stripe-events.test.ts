// The replay against the Stripe simulator through the real Stripe adapter. The simulator's clock
// (and so its per-second rate limiter) is the test's manual clock, which the replay's waits move:
// rates and backoffs are checked without sleeping.
import { StripeCaller } from '../../src/adapters/stripe/stripe-call';
import { createStripeClient } from '../../src/adapters/stripe/stripe-client';
import { StripeEventGateway } from '../../src/adapters/stripe/stripe-event-gateway';
import type { EventGateway } from '../../src/application/ports/event-gateway';
import { EnqueueStripeEvent } from '../../src/application/webhooks/enqueue-stripe-event';
import { ReplayCheckpointMismatchError } from '../../src/application/webhooks/replay-errors';
import { ReplayStripeEvents, type ReplayOptions } from '../../src/application/webhooks/replay-stripe-events';
import { startStripeSimulator, type StripeSimulator } from '../../../../scripts/stripe-simulator/index';
import { InMemoryReplayCheckpointStore } from '../fakes/in-memory-replay-checkpoint-store';
import { InMemoryStripeEventQueue } from '../fakes/in-memory-stripe-event-queue';
import { InMemoryStripeEventStore } from '../fakes/in-memory-stripe-event-store';
import { ManualClock } from '../support/manual-clock';

const API_KEY = 'sk_test_replay';

let clock: ManualClock;
let simulator: StripeSimulator;
let since: number;
let created: string[];

/** Calls to the event log, with when they were made and how they ended. */
interface Call {
  at: number;
  ok: boolean;
}

function gateway(calls: Call[], beforeCall: (n: number) => void = () => undefined): EventGateway {
  const caller = new StripeCaller((key) => createStripeClient({ apiKey: key, apiUrl: simulator.url, maxNetworkRetries: 0 }), async () => API_KEY);
  const real = new StripeEventGateway(caller);
  return {
    listEvents: async (input) => {
      beforeCall(calls.length + 1);
      const at = clock.now();
      try {
        const page = await real.listEvents(input);
        calls.push({ at, ok: true });
        return page;
      } catch (error) {
        calls.push({ at, ok: false });
        throw error;
      }
    },
  };
}

/** Composed as `npm run replay` composes it: an event in flight is counted, not waited for. */
function replay(events: EventGateway, options: ReplayOptions = {}) {
  const store = new InMemoryStripeEventStore();
  const queue = new InMemoryStripeEventQueue();
  const checkpoints = new InMemoryReplayCheckpointStore();
  const useCase = (gatewayToUse: EventGateway = events) =>
    new ReplayStripeEvents(gatewayToUse, store, queue, new EnqueueStripeEvent(store, queue, clock, { inProgressWaitMs: 0 }), checkpoints, clock, { pageSize: 10, ...options });
  return { store, queue, checkpoints, useCase };
}

const maxInAnySecond = (times: number[]) => Math.max(0, ...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));

beforeAll(async () => {
  clock = new ManualClock(Date.parse('2026-11-01T00:00:00Z'));
  simulator = await startStripeSimulator({ port: 0, apiKey: API_KEY, now: () => clock.now() });
  since = simulator.now() - 1;
  const stripe = await createStripeClient({ apiKey: API_KEY, apiUrl: simulator.url, maxNetworkRetries: 0 });
  created = [];
  for (let i = 0; i < 45; i++) created.push((await stripe.customers.create({ email: `replay-${i}@example.com` })).id);
}, 60_000);

afterAll(async () => simulator?.stop());

beforeEach(() => {
  simulator.faults.clear();
  simulator.setRateLimit(false);
});

const customerEventIds = () => simulator.events().filter((e) => e.type === 'customer.created').map((e) => e.id);

describe('ReplayStripeEvents on the Stripe simulator', () => {
  it('feeds every event since the time once, page after page, within 25 requests in any second', async () => {
    simulator.setRateLimit({ readPerSecond: 25, writePerSecond: 25 });
    const calls: Call[] = [];
    const { queue, checkpoints, useCase } = replay(gateway(calls), { pageSize: 1 });
    const progress: number[] = [];
    const result = await useCase().execute({ since, types: ['customer.created'], onProgress: (c) => progress.push(c.seen) });
    expect(result.counts).toMatchObject({ seen: 45, enqueued: 45, processed: 0, pending: 0 });
    expect(queue.messages.map((m) => m.eventId).sort()).toEqual(customerEventIds().sort());
    expect(queue.messages.every((m) => m.type === 'customer.created' && m.livemode === false)).toBe(true);
    expect(progress).toHaveLength(result.counts.pages);
    // Within the simulator's test-mode limit, so it never refused one.
    expect(calls.every((c) => c.ok)).toBe(true);
    expect(maxInAnySecond(calls.map((c) => c.at))).toBeLessThanOrEqual(25);
    expect(calls.length).toBeGreaterThan(25);
    expect(await checkpoints.load()).toBeUndefined();
  });

  it('over the provider\'s limit, backs off on each 429 and still feeds everything', async () => {
    simulator.setRateLimit({ readPerSecond: 5, writePerSecond: 5 });
    const calls: Call[] = [];
    const { queue, useCase } = replay(gateway(calls), { pageSize: 2, ratePerSecond: 50 });
    const result = await useCase().execute({ since, types: ['customer.created'] });
    expect(result.counts.enqueued).toBe(45);
    expect(new Set(queue.messages.map((m) => m.eventId)).size).toBe(45);
    const refused = calls.filter((c) => !c.ok);
    expect(refused.length).toBeGreaterThan(0);
    // Each 429 was followed by a wait of at least the two seconds the simulator's 429 implies.
    for (const failure of refused) {
      const next = calls.find((c) => c.at > failure.at);
      expect(next!.at - failure.at).toBeGreaterThanOrEqual(2000);
    }
  });

  it('waits longer after each refusal in a row (exponential) and gives up after its attempts', async () => {
    simulator.faults.inject({ kind: 'rate_limit', path: '/v1/events', count: 4 });
    const calls: Call[] = [];
    const { useCase } = replay(gateway(calls), { backoffBaseMs: 1000, maxAttempts: 5 });
    await useCase().execute({ since, types: ['customer.created'] });
    const gaps = calls.slice(1).map((c, i) => c.at - calls[i]!.at);
    expect(calls.slice(0, 4).every((c) => !c.ok)).toBe(true);
    expect(gaps.slice(0, 4)).toEqual([2000, 2000, 4000, 8000]);

    simulator.faults.inject({ kind: 'server_error', path: '/v1/events', count: 3 });
    const { useCase: giveUp } = replay(gateway([]), { maxAttempts: 3 });
    await expect(giveUp().execute({ since })).rejects.toMatchObject({ kind: 'unavailable' });
  });

  it('skips what was processed, counts what an older deploy marked enqueued, and feeds those only when asked', async () => {
    const { store, queue, useCase } = replay(gateway([]));
    const [processed, enqueued] = customerEventIds();
    await store.markProcessed(processed!, clock.now(), 30 * 24 * 3600);
    store.writeEnqueuedRecord({ eventId: enqueued!, type: 'customer.created', receivedAt: clock.now(), ttl: Math.floor(clock.now() / 1000) + 30 * 24 * 3600 });

    const dry = await useCase().execute({ since, types: ['customer.created'], dryRun: true });
    expect(dry.counts).toMatchObject({ seen: 45, processed: 1, pending: 1, wouldEnqueue: 43, enqueued: 0 });
    expect(queue.messages).toHaveLength(0);

    const fed = await useCase().execute({ since, types: ['customer.created'] });
    expect(fed.counts).toMatchObject({ processed: 1, pending: 1, enqueued: 43 });
    expect(queue.messages.map((m) => m.eventId)).not.toContain(enqueued);

    queue.messages.length = 0;
    const asked = await useCase().execute({ since, types: ['customer.created'], includeEnqueued: true });
    expect(asked.counts).toMatchObject({ processed: 1, pending: 0 });
    expect(queue.messages.map((m) => m.eventId)).toContain(enqueued);
    expect(queue.messages.map((m) => m.eventId)).not.toContain(processed);
  });

  it('leaves what it fed moments ago to the worker, and feeds again what is still received past its lease', async () => {
    const { store, queue, useCase } = replay(gateway([]));
    const [processed] = customerEventIds();
    await store.markProcessed(processed!, clock.now(), 30 * 24 * 3600);
    const fed = await useCase().execute({ since, types: ['customer.created'] });
    expect(fed.counts).toMatchObject({ processed: 1, enqueued: 44, concurrent: 0 });

    // No worker here: the 44 are still received, inside their lease, so in flight.
    queue.messages.length = 0;
    const inFlight = await useCase().execute({ since, types: ['customer.created'] });
    expect(inFlight.counts).toMatchObject({ processed: 1, enqueued: 0, concurrent: 44, pending: 0 });
    expect(queue.messages).toHaveLength(0);

    // Past the lease nothing tells a lost send from a slow worker: fed again, the worker dedupes a copy.
    clock.advance(60_000);
    const again = await useCase().execute({ since, types: ['customer.created'] });
    expect(again.counts).toMatchObject({ processed: 1, enqueued: 44, concurrent: 0, pending: 0 });
    expect(new Set(queue.messages.map((m) => m.eventId)).size).toBe(44);
    expect(queue.messages.map((m) => m.eventId)).not.toContain(processed);
  });

  it('resumes from its checkpoint after failing mid-way, feeding each event once in all', async () => {
    const failThirdPage = (n: number) => {
      if (n === 3) simulator.faults.inject({ kind: 'server_error', path: '/v1/events', count: 2 });
    };
    const { queue, checkpoints, useCase } = replay(gateway([], failThirdPage), { maxAttempts: 2 });
    await expect(useCase().execute({ since, types: ['customer.created'] })).rejects.toMatchObject({ kind: 'unavailable' });
    const saved = await checkpoints.load();
    expect(saved).toMatchObject({ since, types: ['customer.created'], counts: { pages: 2, enqueued: 20 } });
    expect(queue.messages).toHaveLength(20);

    await expect(useCase().execute({ since: since - 60, types: ['customer.created'], resume: true })).rejects.toBeInstanceOf(ReplayCheckpointMismatchError);
    const resumed = await useCase().execute({ since, types: ['customer.created'], resume: true });
    expect(resumed).toMatchObject({ resumed: true, counts: { seen: 45, enqueued: 45 } });
    expect(queue.messages.map((m) => m.eventId).sort()).toEqual(customerEventIds().sort());
    expect(await checkpoints.load()).toBeUndefined();
  });
});
