// Updates of one Stripe object often share a second (Stripe's `created` has one-second resolution)
// and the same status, so neither the time nor the rank orders them. Their previous_attributes do:
// whatever order two updates of a second arrive in, with redeliveries, the record must end as it
// ends when they arrive in order.
import fc from 'fast-check';
import type { BillingEvent } from '@shared/events/billing-event';
import type { StripeEventMessage } from '../../../src/application/ports/stripe-event-queue';
import { eventsWorkerHarness } from '../../support/events-worker-harness';
import { stripeEvent, subscriptionObject } from '../../support/stripe-event-payloads';

const START = 1_767_225_600;

interface Delivery {
  id: string;
  created: number;
  type: string;
  object: Record<string, unknown>;
  previous: Record<string, unknown> | undefined;
}

/**
 * `count` steps 0-2 s apart, never three in one second: previous_attributes place two updates of a
 * second against each other; with three, one missing in the middle leaves the others unplaced.
 */
const timesArbitrary = (count: number) =>
  fc.array(fc.integer({ min: 0, max: 2 }), { minLength: count, maxLength: count }).map((gaps) => {
    let created = START;
    return gaps.map((gap, i) => {
      created += i > 0 && gap === 0 && gaps[i - 1] === 0 ? 1 : gap;
      return created;
    });
  });

/** The deliveries in order and in a random arrival order with 1-3 copies of each. */
const arrivalsOf = (inOrder: Delivery[]) =>
  fc.array(fc.integer({ min: 1, max: 3 }), { minLength: inOrder.length, maxLength: inOrder.length }).chain((copies) => {
    const deliveries = inOrder.flatMap((d, i) => Array.from({ length: copies[i] ?? 1 }, () => d));
    return fc.record({ inOrder: fc.constant(inOrder), arrivals: fc.shuffledSubarray(deliveries, { minLength: deliveries.length, maxLength: deliveries.length }) });
  });

const message = (d: Delivery): StripeEventMessage => stripeEvent(d.type, d.object, { id: d.id, created: d.created, ...(d.previous ? { previousAttributes: d.previous } : {}) });

const items = (quantity: number) => ({ object: 'list', data: [{ id: 'si_1', price: { id: 'price_basic' }, quantity, current_period_end: 1_769_904_000 }] });

/** A subscription's life: created, 1-5 quantity changes (each by its previous_attributes), maybe its end. */
const subscriptionLife = fc
  .record({ updates: fc.integer({ min: 1, max: 5 }), ends: fc.boolean() })
  .chain(({ updates, ends }) =>
    timesArbitrary(1 + updates + (ends ? 1 : 0)).chain((times) => {
      const sub = (status: string, quantity: number, extra: Partial<Parameters<typeof subscriptionObject>[0]> = {}) =>
        subscriptionObject({ id: 'sub_order', status, quantity, customer: 'cus_order', metadata: { userId: 'user-order' }, ...extra });
      const steps: Delivery[] = [{ id: 'evt_0_created', created: times[0]!, type: 'customer.subscription.created', object: sub('active', 1), previous: undefined }];
      for (let q = 2; q <= updates + 1; q += 1) {
        steps.push({ id: `evt_${q - 1}_updated`, created: times[q - 1]!, type: 'customer.subscription.updated', object: sub('active', q), previous: { items: items(q - 1) } });
      }
      if (ends) steps.push({ id: `evt_${updates + 1}_deleted`, created: times[updates + 1]!, type: 'customer.subscription.deleted', object: sub('canceled', updates + 1, { reason: 'cancellation_requested', canceledAt: times[updates + 1]! }), previous: undefined });
      return arrivalsOf(steps);
    }),
  );

/** A customer's email changed 2-6 times in Stripe, each update saying the email before it. */
const emailLife = fc.integer({ min: 2, max: 6 }).chain((changes) =>
  timesArbitrary(changes).chain((times) =>
    arrivalsOf(
      times.map((created, i) => ({
        id: `evt_${i}_customer`,
        created,
        type: 'customer.updated',
        object: { id: 'cus_order', object: 'customer', email: `e${i + 1}@example.com`, metadata: { userId: 'user-order' } },
        previous: { email: i === 0 ? null : `e${i}@example.com` },
      })),
    ),
  ),
);

async function run(deliveries: Delivery[]) {
  const h = await eventsWorkerHarness({ userId: 'user-order', stripeCustomerId: 'cus_order' });
  for (const d of deliveries) await h.useCase.execute(message(d));
  return h;
}

/** Each creation and end is published once; an update only if it was news when it came. */
const facts = (events: BillingEvent[]) => events.filter((e) => e.type !== 'subscription.updated').map((e) => `${e.type} ${e.source.stripeEventId}`).sort();
const updates = (events: BillingEvent[]) => events.filter((e) => e.type === 'subscription.updated').map((e) => e.source.stripeEventId);

describe('same-second updates in any order', () => {
  it('end in the subscription record the in-order sequence gives, 200 random arrival orders with duplicates', async () => {
    await fc.assert(
      fc.asyncProperty(subscriptionLife, async ({ inOrder, arrivals }) => {
        const expected = await run(inOrder);
        const actual = await run(arrivals);
        const comparable = async (h: typeof expected) => {
          const record = await h.subscriptions.get('user-order', 'sub_order');
          return record && { ...record, version: 0, updatedAt: '' };
        };
        expect(await comparable(actual)).toEqual(await comparable(expected));
        const published = actual.publisher.events();
        expect(facts(published)).toEqual(facts(expected.publisher.events()));
        expect(updates(expected.publisher.events())).toEqual(expect.arrayContaining(updates(published)));
        expect(new Set(published.map((e) => e.id)).size).toBe(published.length);
      }),
      { numRuns: 200 },
    );
  });

  it('end in the customer email the in-order sequence gives, 200 random arrival orders with duplicates', async () => {
    await fc.assert(
      fc.asyncProperty(emailLife, async ({ inOrder, arrivals }) => {
        const expected = await run(inOrder);
        const actual = await run(arrivals);
        const record = await actual.customers.get('user-order');
        expect(record && { ...record, updatedAt: '' }).toEqual({ ...(await expected.customers.get('user-order')), updatedAt: '' });
        expect(record?.email).toBe(`e${inOrder.length}@example.com`);
        expect(actual.metrics.counts.duplicate ?? 0).toBe(arrivals.length - inOrder.length);
      }),
      { numRuns: 200 },
    );
  });
});
