import { applySubscriptionEvent, type Subscription, type SubscriptionSnapshot } from '../../../src/domain/subscription';

const NOW = '2026-01-01T00:10:00.000Z';
const T0 = 1_767_225_600;

const snapshot = (overrides: Partial<SubscriptionSnapshot> = {}): SubscriptionSnapshot => ({
  subscriptionId: 'sub_1',
  stripeCustomerId: 'cus_1',
  status: 'active',
  stripePriceId: 'price_1',
  priceId: 'local-price-1',
  quantity: 1,
  currentPeriodEnd: '2026-02-01T00:00:00.000Z',
  cancelAtPeriodEnd: false,
  canceledAt: undefined,
  endReason: undefined,
  metadata: {},
  ...overrides,
});

/** The record after one event: `created` seconds, its snapshot and where that event said it started from. */
const recordAfter = (created: number, to: SubscriptionSnapshot, from?: SubscriptionSnapshot): Subscription => {
  const result = applySubscriptionEvent(undefined, to, 'user-1', { eventId: 'evt_first', created }, NOW, from);
  return { ...result.record, version: 3 };
};

const apply = (current: Subscription, to: SubscriptionSnapshot, created: number, from?: SubscriptionSnapshot) =>
  applySubscriptionEvent(current, to, 'user-1', { eventId: 'evt_next', created }, NOW, from);

describe('events of the same second, placed by how far along the status is', () => {
  it('drops a step back (active, then trialing)', () => {
    const current = recordAfter(T0, snapshot({ status: 'active' }));
    expect(apply(current, snapshot({ status: 'trialing' }), T0)).toEqual({ kind: 'stale', record: current });
  });

  it('takes a step forward even when it ends where the last event started (active from past_due, then past_due)', () => {
    const current = recordAfter(T0, snapshot({ status: 'active' }), snapshot({ status: 'past_due' }));
    const result = apply(current, snapshot({ status: 'past_due' }), T0);
    expect(result.kind).toBe('applied');
    expect(result.record.status).toBe('past_due');
  });
});

describe('events of a later second', () => {
  it('apply a status further back (a past-due subscription paid again)', () => {
    const current = recordAfter(T0, snapshot({ status: 'past_due' }));
    const result = apply(current, snapshot({ status: 'active' }), T0 + 1);
    expect(result.kind).toBe('applied');
    expect(result.record.status).toBe('active');
  });

  it('apply even when they end where the last event started (a quantity changed back)', () => {
    const current = recordAfter(T0, snapshot({ quantity: 2 }), snapshot({ quantity: 1 }));
    const result = apply(current, snapshot({ quantity: 1 }), T0 + 1);
    expect(result.kind).toBe('applied');
    expect(result.record.quantity).toBe(1);
  });
});

describe('an ended subscription', () => {
  it.each(['canceled', 'incomplete_expired'])('never comes back from %s, whatever comes later', (ended) => {
    const current = recordAfter(T0, snapshot({ status: ended }));
    expect(apply(current, snapshot({ status: 'active' }), T0 + 60)).toEqual({ kind: 'stale', record: current });
  });
});
