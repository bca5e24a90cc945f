/**
 * A Stripe subscription as this service records it for one of our users, kept from Stripe's
 * events. Stripe's status vocabulary is kept as it is: consumers already know it.
 */
import { sameButUpdatedAt, type EventApplication, type StripeEventStamp } from './payment-events';
import { sameSecondOrder, stateFingerprint } from './update-order';

export interface Subscription {
  userId: string;
  subscriptionId: string;
  stripeCustomerId: string;
  /** active, trialing, past_due, canceled, incomplete, incomplete_expired, unpaid, paused. */
  status: string;
  stripePriceId: string | undefined;
  /** Ours, when the subscription was opened through this API for a synced price. */
  priceId: string | undefined;
  quantity: number;
  /** ISO-8601. */
  currentPeriodEnd: string | undefined;
  cancelAtPeriodEnd: boolean;
  canceledAt: string | undefined;
  /** Why Stripe ended it (cancellation_details.reason), once deleted. */
  endReason: string | undefined;
  metadata: Record<string, string>;
  /** The last event applied: its `created` (epoch seconds) and id, so older news never wins. */
  stripeUpdatedAt: number;
  lastStripeEventId: string;
  /** The state the last event applied started from (its previous_attributes), to place a same-second update. */
  lastStripeEventFrom?: string | undefined;
  createdAt: string;
  updatedAt: string;
  /** Bumped by every write; writes are conditional on it. */
  version: number;
}

/** What a Stripe event says about a subscription, in our terms. */
export type SubscriptionSnapshot = Omit<Subscription, 'userId' | 'stripeUpdatedAt' | 'lastStripeEventId' | 'lastStripeEventFrom' | 'createdAt' | 'updatedAt' | 'version'>;

/** What Stripe's updates change, for placing one against the record (the end reason only a deletion says). */
function stateOf(s: SubscriptionSnapshot): string {
  const { subscriptionId, stripeCustomerId, status, stripePriceId, priceId, quantity, currentPeriodEnd, cancelAtPeriodEnd, canceledAt, metadata } = s;
  return stateFingerprint({ subscriptionId, stripeCustomerId, status, stripePriceId, priceId, quantity, currentPeriodEnd, cancelAtPeriodEnd, canceledAt, metadata });
}

/**
 * For events of the same second: how far along the subscription's life a status is. Past-due and
 * unpaid follow active; canceled and incomplete_expired are final.
 */
const STATUS_RANK: Record<string, number> = {
  incomplete: 0,
  trialing: 1,
  active: 2,
  paused: 3,
  past_due: 3,
  unpaid: 4,
  incomplete_expired: 9,
  canceled: 9,
};

export function subscriptionRank(status: string): number {
  return STATUS_RANK[status] ?? 2;
}

const FINAL = new Set(['canceled', 'incomplete_expired']);

/**
 * Applies a subscription snapshot from a Stripe event: stale when the record holds a later event,
 * or one of the same second that is further along, or when the subscription has ended (an ended
 * subscription never comes back). Same second and same rank: placed by `previous` (the event's
 * previous_attributes), stale when it ends where the record's last event started; otherwise applied,
 * never dropped.
 */
export function applySubscriptionEvent(
  current: Subscription | undefined,
  snapshot: SubscriptionSnapshot,
  userId: string,
  event: StripeEventStamp,
  now: string,
  previous?: SubscriptionSnapshot,
): EventApplication<Subscription> {
  const states = { to: stateOf(snapshot), from: previous ? stateOf(previous) : undefined };
  const fresh: Subscription = {
    ...snapshot,
    userId,
    stripeUpdatedAt: event.created,
    lastStripeEventId: event.eventId,
    lastStripeEventFrom: states.from,
    createdAt: now,
    updatedAt: now,
    version: 0,
  };
  if (!current) return { kind: 'applied', record: fresh };
  if (event.eventId !== current.lastStripeEventId) {
    const rankDelta = subscriptionRank(snapshot.status) - subscriptionRank(current.status);
    const tie = event.created === current.stripeUpdatedAt && rankDelta === 0;
    const movedPast = tie && sameSecondOrder(states, { state: stateOf(current), lastFrom: current.lastStripeEventFrom }) === 'earlier';
    const older = event.created < current.stripeUpdatedAt || (event.created === current.stripeUpdatedAt && rankDelta < 0) || movedPast;
    const reopens = FINAL.has(current.status) && !FINAL.has(snapshot.status);
    if (older || reopens) return { kind: 'stale', record: current };
  }
  // Only a deletion says why it ended; a later update (which says nothing of it) keeps the reason.
  const next: Subscription = { ...fresh, endReason: snapshot.endReason ?? current.endReason, createdAt: current.createdAt, version: current.version };
  return { kind: 'applied', record: sameButUpdatedAt(next, current) ? current : next };
}

/** subscription.canceled when the customer (or we, for them) asked; subscription.expired for any other end. */
export function endingKind(endReason: string | undefined): 'canceled' | 'expired' {
  return endReason === 'cancellation_requested' ? 'canceled' : 'expired';
}
