/**
 * Applying Stripe's news about a customer to our record of it: an email changed in Stripe, or the
 * customer deleted there. Delivered at least once and in any order, like every Stripe event.
 */
import type { CustomerRecord } from './customer';
import { sameButUpdatedAt, type EventApplication, type StripeEventStamp } from './payment-events';
import { sameSecondOrder, stateFingerprint } from './update-order';

/** What a customer event says, in our terms. */
export interface CustomerSnapshot {
  stripeCustomerId: string;
  email: string | undefined;
}

/** The part of a customer this service keeps from Stripe. */
const stateOf = (email: string | undefined) => stateFingerprint({ email });

/** Whether the record is, or was, the link to this Stripe customer. */
export function knowsStripeCustomer(record: CustomerRecord, stripeCustomerId: string): boolean {
  return record.stripeCustomerId === stripeCustomerId || record.deletedStripeCustomerIds?.includes(stripeCustomerId) === true;
}

/**
 * customer.updated: the record's email follows Stripe's. Stale when the record no longer points at
 * that customer, when a later event was applied, or, in the same second, when the event ends in the
 * state the last one started from (previous_attributes); otherwise applied, never dropped.
 */
export function applyCustomerUpdate(
  record: CustomerRecord,
  snapshot: CustomerSnapshot,
  previous: CustomerSnapshot | undefined,
  event: StripeEventStamp,
  now: string,
): EventApplication<CustomerRecord> {
  if (record.status !== 'active' || record.stripeCustomerId !== snapshot.stripeCustomerId) return { kind: 'stale', record };
  const states = { to: stateOf(snapshot.email), from: previous ? stateOf(previous.email) : undefined };
  const lastCreated = record.lastStripeEventCreated ?? Number.NEGATIVE_INFINITY;
  if (event.eventId !== record.lastStripeEventId) {
    if (event.created < lastCreated) return { kind: 'stale', record };
    if (event.created === lastCreated && sameSecondOrder(states, { state: stateOf(record.email), lastFrom: record.lastStripeEventFrom }) === 'earlier') {
      return { kind: 'stale', record };
    }
  }
  const next: CustomerRecord = { ...record, email: snapshot.email, lastStripeEventCreated: event.created, lastStripeEventId: event.eventId, lastStripeEventFrom: states.from };
  return { kind: 'applied', record: sameButUpdatedAt(next, record) ? record : { ...next, updatedAt: now } };
}

/**
 * customer.deleted: the record stops pointing at the dead customer, so no payment is attempted on
 * it and the next get-or-create makes a new one (its lease free at once). The dead id is kept, so
 * its late events (its subscriptions ended by the deletion) are still known as this user's. A
 * deletion of a customer the record no longer points at changes nothing.
 */
export function applyCustomerDeletion(record: CustomerRecord, stripeCustomerId: string, now: string): EventApplication<CustomerRecord> {
  if (record.stripeCustomerId !== stripeCustomerId) return { kind: 'applied', record };
  return {
    kind: 'applied',
    record: {
      ...record,
      status: 'creating',
      stripeCustomerId: undefined,
      leaseExpiresAt: 0,
      deletedStripeCustomerIds: [...(record.deletedStripeCustomerIds ?? []), stripeCustomerId],
      // The next customer's events start their own order; the dead one's are refused by its id.
      lastStripeEventCreated: undefined,
      lastStripeEventId: undefined,
      lastStripeEventFrom: undefined,
      updatedAt: now,
    },
  };
}
