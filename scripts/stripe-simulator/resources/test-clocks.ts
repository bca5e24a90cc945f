// Test clocks (`/v1/test_helpers/test_clocks`): Stripe's test-mode way to move time for a group of
// customers. Customers created with `test_clock` live at the clock's frozen time; advancing the
// clock renews, bills and cancels their subscriptions as that time passes. The simulator-wide
// clock (`advanceClock`) leaves them alone, and advancing a test clock moves nothing else.
import type { SimulatorCore } from '../core';
import { invalidRequest, stateError } from '../errors';
import { newId } from '../ids';
import { allowOnly, optString, paginate, reqInt } from '../params';
import type { RequestContext } from '../router';
import type { StripeObject } from '../store';
import { liveTestClock, TEST_CLOCK_COLLECTION, type TestClock } from '../test-clock-time';
import type { Customer } from './customers';
import type { Emit } from './payment-intents';
import { addInterval, renewDue, type Subscription } from './subscriptions';

/** Stripe deletes a test clock 30 days after it was created. */
const CLOCK_LIFETIME_SECONDS = 30 * 24 * 60 * 60;

/**
 * How long an advance stays `advancing` before its time is applied. Stripe takes seconds; a short
 * pause keeps the same asynchronous contract (poll until `ready`) without slowing tests down.
 */
const ADVANCE_DELAY_MS = 25;

const LIVE_SUBSCRIPTION: readonly string[] = ['active', 'past_due', 'trialing', 'unpaid', 'incomplete'];

/** Clocks whose advance is scheduled in this process, per simulator. */
const scheduled = new WeakMap<SimulatorCore, Set<string>>();

function scheduledFor(core: SimulatorCore): Set<string> {
  let set = scheduled.get(core);
  if (!set) scheduled.set(core, (set = new Set()));
  return set;
}

function requireClock(core: SimulatorCore, id: string): TestClock {
  const clock = core.store.require<TestClock>(TEST_CLOCK_COLLECTION, id, 'test_clock');
  // A clock saved while advancing (the simulator stopped before applying it) finishes on first use.
  const target = clock.status_details.advancing?.target_frozen_time;
  if (clock.status === 'advancing' && target !== undefined && !scheduledFor(core).has(id)) {
    finishAdvance(core, id, target);
    return core.store.require<TestClock>(TEST_CLOCK_COLLECTION, id, 'test_clock');
  }
  return clock;
}

function customersOn(core: SimulatorCore, clockId: string): Customer[] {
  return core.store.all<Customer>('customer').filter((c) => c['deleted'] !== true && c['test_clock'] === clockId);
}

function subscriptionsOn(core: SimulatorCore, clockId: string): Subscription[] {
  return core.store.all<Subscription>('subscription').filter((s) => s['test_clock'] === clockId);
}

/** Emits an event at the clock's frozen time, where everything on the clock happens. */
function emitAtClock(core: SimulatorCore, emit: Emit, type: string, clock: TestClock): void {
  core.clock.at(clock.frozen_time, () => emit(type, clock));
}

/**
 * The latest time a clock may advance to: two billing intervals of its shortest subscription
 * ahead, or two years when it has none (Stripe's limit).
 */
export function advanceLimit(core: SimulatorCore, clock: TestClock): number {
  const limits = subscriptionsOn(core, clock.id)
    .filter((s) => LIVE_SUBSCRIPTION.includes(s.status))
    .flatMap((s) => s.items.data.map((item) => item.price.recurring))
    .flatMap((recurring) => (recurring ? [addInterval(clock.frozen_time, { interval: recurring.interval, interval_count: recurring.interval_count * 2 })] : []));
  return limits.length > 0 ? Math.min(...limits) : addInterval(clock.frozen_time, { interval: 'year', interval_count: 2 });
}

function create(ctx: RequestContext): TestClock {
  allowOnly(ctx.params, ['frozen_time', 'name']);
  const frozenTime = reqInt(ctx.params, 'frozen_time');
  const name = optString(ctx.params, 'name');
  if (name !== undefined && name.length > 300) throw invalidRequest('Invalid name: must be at most 300 characters', 'name', 'string_too_long');
  const created = ctx.core.clock.globalNowSeconds();
  const clock: TestClock = {
    id: newId('clock'),
    object: 'test_helpers.test_clock',
    created,
    deletes_after: created + CLOCK_LIFETIME_SECONDS,
    frozen_time: frozenTime,
    livemode: false,
    name: name ?? null,
    status: 'ready',
    status_details: {},
  };
  ctx.core.store.insert(TEST_CLOCK_COLLECTION, clock);
  emitAtClock(ctx.core, ctx.emit, 'test_helpers.test_clock.created', clock);
  return clock;
}

function retrieve(ctx: RequestContext): TestClock {
  return requireClock(ctx.core, ctx.pathParams['id']!);
}

function list(ctx: RequestContext): unknown {
  allowOnly(ctx.params, ['ending_before', 'limit', 'starting_after']);
  const clocks = ctx.core.store.all<TestClock>(TEST_CLOCK_COLLECTION).filter((c) => c['deleted'] !== true);
  return paginate(clocks, ctx.params, '/v1/test_helpers/test_clocks', ctx.core.store.rankOf(TEST_CLOCK_COLLECTION));
}

/** Deletes a clock with everything on it: its subscriptions end, its customers are deleted. */
export function deleteClock(core: SimulatorCore, emit: Emit, clock: TestClock): StripeObject {
  core.clock.at(clock.frozen_time, () => {
    for (const sub of subscriptionsOn(core, clock.id)) {
      if (sub.status === 'canceled' || sub.status === 'incomplete_expired') continue;
      const ended: Subscription = {
        ...sub,
        status: 'canceled',
        canceled_at: sub.canceled_at ?? clock.frozen_time,
        ended_at: clock.frozen_time,
        cancellation_details: { ...sub.cancellation_details, reason: 'cancellation_requested' },
      };
      core.store.put('subscription', ended);
      emit('customer.subscription.deleted', ended, { status: sub.status, canceled_at: sub.canceled_at, ended_at: sub.ended_at });
    }
    for (const customer of customersOn(core, clock.id)) {
      core.store.put('customer', { id: customer.id, object: 'customer', deleted: true });
      emit('customer.deleted', customer);
    }
  });
  const stub = { id: clock.id, object: 'test_helpers.test_clock', deleted: true };
  core.store.put(TEST_CLOCK_COLLECTION, stub);
  emitAtClock(core, emit, 'test_helpers.test_clock.deleted', clock);
  return stub;
}

function remove(ctx: RequestContext): StripeObject {
  const clock = requireClock(ctx.core, ctx.pathParams['id']!);
  return deleteClock(ctx.core, ctx.emit, clock);
}

function advance(ctx: RequestContext): TestClock {
  allowOnly(ctx.params, ['frozen_time']);
  const { core } = ctx;
  const clock = requireClock(core, ctx.pathParams['id']!);
  const target = reqInt(ctx.params, 'frozen_time');
  if (clock.status === 'advancing') {
    throw stateError(`The test clock ${clock.id} is already advancing; wait until its status is \`ready\` to advance it again.`, 'test_clock_advancing');
  }
  if (target <= clock.frozen_time) {
    throw invalidRequest(`The frozen_time must be after the test clock's current frozen_time (${clock.frozen_time}).`, 'frozen_time');
  }
  const limit = advanceLimit(core, clock);
  if (target > limit) {
    const hasSubscriptions = subscriptionsOn(core, clock.id).some((s) => LIVE_SUBSCRIPTION.includes(s.status));
    throw invalidRequest(
      hasSubscriptions
        ? `The frozen_time cannot be more than two intervals of the shortest subscription on this test clock in the future (at most ${limit}).`
        : `The frozen_time cannot be more than two years in the future for a test clock without subscriptions (at most ${limit}).`,
      'frozen_time',
    );
  }
  const advancing: TestClock = { ...clock, status: 'advancing', status_details: { advancing: { target_frozen_time: target } } };
  core.store.put(TEST_CLOCK_COLLECTION, advancing);
  emitAtClock(core, ctx.emit, 'test_helpers.test_clock.advancing', advancing);
  // Time is applied after the answer, as in Stripe: callers poll until the clock is `ready`.
  scheduledFor(core).add(clock.id);
  setTimeout(() => {
    scheduledFor(core).delete(clock.id);
    finishAdvance(core, clock.id, target);
  }, ADVANCE_DELAY_MS).unref();
  return advancing;
}

/** Lets the clock's time pass up to `target`: renewals, payments, cancellations at period end. */
function finishAdvance(core: SimulatorCore, clockId: string, target: number): void {
  const clock = liveTestClock(core, clockId);
  if (!clock || clock.status !== 'advancing') return;
  const emit: Emit = (type, object, prev) => core.events.emit(type, object, prev);
  try {
    renewDue(core, target, clockId);
    const ready: TestClock = { ...clock, frozen_time: target, status: 'ready', status_details: {} };
    core.store.put(TEST_CLOCK_COLLECTION, ready);
    emitAtClock(core, emit, 'test_helpers.test_clock.ready', ready);
  } catch (err) {
    console.error('stripe-simulator: advancing a test clock failed', err);
    core.store.put(TEST_CLOCK_COLLECTION, { ...clock, status: 'internal_failure', status_details: {} });
  }
}

/** The time an event's age is measured against: its test clock's, when its object is on one. */
export function registerTestClocks(core: SimulatorCore): void {
  const r = core.router;
  r.post('/v1/test_helpers/test_clocks', create);
  r.get('/v1/test_helpers/test_clocks', list);
  r.get('/v1/test_helpers/test_clocks/:id', retrieve);
  r.delete('/v1/test_helpers/test_clocks/:id', remove);
  r.post('/v1/test_helpers/test_clocks/:id/advance', advance);
  // Stripe removes a test clock, and what is on it, once it reaches `deletes_after`.
  core.clock.onAdvance((now) => {
    const emit: Emit = (type, object, prev) => core.events.emit(type, object, prev);
    for (const clock of core.store.all<TestClock>(TEST_CLOCK_COLLECTION)) {
      if (clock['deleted'] !== true && clock.deletes_after <= now) deleteClock(core, emit, clock);
    }
  });
}
