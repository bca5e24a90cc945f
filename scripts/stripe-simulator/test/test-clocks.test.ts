// Test clocks through the official SDK: the same calls a test makes against Stripe test mode.
import Stripe from 'stripe';
import { startHarness, type Harness } from './helpers';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ webhookDelivery: { retryBaseMs: 20 } });
});
afterAll(async () => {
  await h.sim.stop();
});

const DAY = 24 * 60 * 60;
/** 2031-01-15T00:00:00Z: far from the simulator's own time, so a mix-up shows. */
const START = Date.UTC(2031, 0, 15) / 1000;

/** Polls until the clock has applied its advance, as Stripe's docs tell callers to do. */
async function waitUntilReady(id: string): Promise<Stripe.TestHelpers.TestClock> {
  for (let i = 0; i < 200; i++) {
    const clock = await h.stripe.testHelpers.testClocks.retrieve(id);
    if (clock.status === 'ready') return clock;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`test clock ${id} never became ready`);
}

async function eventsOfType(type: string): Promise<Stripe.Event[]> {
  return (await h.stripe.events.list({ type, limit: 100 })).data;
}

describe('test clocks', () => {
  it('creates, retrieves, lists and deletes a clock', async () => {
    const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: START, name: 'crud' });
    expect(clock.id).toMatch(/^clock_[A-Za-z0-9]{24}$/);
    expect(clock).toMatchObject({
      object: 'test_helpers.test_clock',
      frozen_time: START,
      name: 'crud',
      status: 'ready',
      status_details: {},
      livemode: false,
    });
    expect(clock.created).toBe(h.sim.now());
    expect(clock.deletes_after).toBe(clock.created + 30 * DAY);

    expect(await h.stripe.testHelpers.testClocks.retrieve(clock.id)).toMatchObject({ id: clock.id, frozen_time: START });
    const listed = await h.stripe.testHelpers.testClocks.list({ limit: 100 });
    expect(listed.data.map((c) => c.id)).toContain(clock.id);
    const created = (await eventsOfType('test_helpers.test_clock.created')).find((e) => (e.data.object as Stripe.TestHelpers.TestClock).id === clock.id);
    expect(created?.created).toBe(START);

    const deleted = await h.stripe.testHelpers.testClocks.del(clock.id);
    expect(deleted).toMatchObject({ id: clock.id, object: 'test_helpers.test_clock', deleted: true });
    await expect(h.stripe.testHelpers.testClocks.retrieve(clock.id)).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'test_clock' });
    expect((await h.stripe.testHelpers.testClocks.list({ limit: 100 })).data.map((c) => c.id)).not.toContain(clock.id);
    expect((await eventsOfType('test_helpers.test_clock.deleted')).map((e) => (e.data.object as Stripe.TestHelpers.TestClock).id)).toContain(clock.id);
  });

  it('refuses a clock without frozen_time, and unknown parameters', async () => {
    await expect(h.stripe.testHelpers.testClocks.create({} as Stripe.TestHelpers.TestClockCreateParams)).rejects.toMatchObject({
      statusCode: 400,
      code: 'parameter_missing',
      param: 'frozen_time',
    });
    await expect(
      h.stripe.testHelpers.testClocks.create({ frozen_time: START, color: 'red' } as Stripe.TestHelpers.TestClockCreateParams),
    ).rejects.toMatchObject({ statusCode: 400, code: 'parameter_unknown', param: 'color' });
  });

  it('advances asynchronously: advancing with a target, then ready at the new time', async () => {
    const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: START });
    const advancing = await h.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: START + 3 * DAY });
    expect(advancing).toMatchObject({ status: 'advancing', frozen_time: START, status_details: { advancing: { target_frozen_time: START + 3 * DAY } } });
    const ready = await waitUntilReady(clock.id);
    expect(ready).toMatchObject({ status: 'ready', frozen_time: START + 3 * DAY, status_details: {} });
    const types = (await h.stripe.events.list({ type: 'test_helpers.test_clock.*', limit: 100 })).data
      .filter((e) => (e.data.object as Stripe.TestHelpers.TestClock).id === clock.id)
      .map((e) => e.type);
    expect(types).toEqual(['test_helpers.test_clock.ready', 'test_helpers.test_clock.advancing', 'test_helpers.test_clock.created']);
  });

  it('refuses to go back in time, or beyond two years without subscriptions', async () => {
    const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: START });
    await expect(h.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: START })).rejects.toMatchObject({ statusCode: 400, param: 'frozen_time' });
    const twoYears = Date.UTC(2033, 0, 15) / 1000;
    await expect(h.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: twoYears + 1 })).rejects.toMatchObject({
      statusCode: 400,
      type: 'StripeInvalidRequestError',
      param: 'frozen_time',
    });
    await h.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: twoYears });
    expect((await waitUntilReady(clock.id)).frozen_time).toBe(twoYears);
  });
});
