/**
 * Applying Stripe's news about a payment intent, which arrives at least once and in any order.
 * Stripe's `created` has one-second resolution, so two events of one second are ordered by how far
 * along the intent they describe is, and refunds only ever grow.
 */
import { paymentStatus, type IntentSnapshot, type IntentStatus, type Payment } from './payment';
import { failedSince } from './refund-events';

/**
 * How far along an intent is, for events of the same second. A retry after a decline goes back
 * to requires_action, so `failed` ranks below it: of a decline and a challenge in one second, the
 * challenge is taken as the later. A failed challenge is the exception (see stateRank).
 * `succeeded` and `canceled` are final.
 */
const INTENT_RANK: Record<IntentStatus, number> = {
  pending: 0,
  failed: 1,
  requires_action: 2,
  processing: 3,
  authorized: 4,
  canceled: 5,
  succeeded: 6,
};

export function intentRank(status: IntentStatus): number {
  return INTENT_RANK[status];
}

/** Stripe's code for a failed 3-D Secure challenge: that failure comes after the requires_action, not before it. */
const AUTHENTICATION_FAILURE = 'payment_intent_authentication_failure';

/**
 * intentRank, with the tie of a failure and a challenge in one second broken by the failure's own
 * error: a failed challenge follows the requires_action it failed, a decline precedes the challenge
 * of the retry.
 */
function stateRank(status: IntentStatus, lastError: Payment['lastError']): number {
  if (status === 'failed' && lastError?.code === AUTHENTICATION_FAILURE) return (INTENT_RANK.requires_action + INTENT_RANK.processing) / 2;
  return INTENT_RANK[status];
}

/** A Stripe event's identity and time, as the worker received it. */
export interface StripeEventStamp {
  eventId: string;
  /** Epoch seconds. */
  created: number;
}

export type EventApplication<T> =
  /** The event is news (or a redelivery of the last one applied): `record` is the result, maybe unchanged. */
  | { kind: 'applied'; record: T }
  /** Something later has been applied already; the record is left as it was. */
  | { kind: 'stale'; record: T };

/** Whether an event changed nothing but the write time, so re-applying it writes nothing. */
export function sameButUpdatedAt<T extends { updatedAt: string }>(a: T, b: T): boolean {
  return JSON.stringify({ ...a, updatedAt: '' }) === JSON.stringify({ ...b, updatedAt: '' });
}

type Position = readonly number[];

function compare(a: Position, b: Position): number {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Applies an intent snapshot carried by a Stripe event. Stale when an event of an earlier second
 * was applied after it, or one of the same second that is further along; an API read that saw a
 * later state keeps that state, but the event is still news (its billing event is owed) unless it
 * describes an earlier state than the record's. Order-independent: any arrival order of the same
 * events ends in the same record (version and updatedAt aside).
 */
export function applyIntentEvent(payment: Payment, snapshot: IntentSnapshot, event: StripeEventStamp, now: string): EventApplication<Payment> {
  const eventRank = stateRank(snapshot.status, snapshot.lastError);
  const recordRank = stateRank(payment.intentStatus, payment.lastError);
  const lastCreated = payment.lastStripeEventCreated ?? Number.NEGATIVE_INFINITY;
  // A charge figure of the second a refund failed in, or earlier, may still count it: read without it.
  const refunded = Math.max(0, snapshot.amountRefunded - failedSince(payment, event.created));
  const progress = compare([eventRank, refunded], [recordRank, payment.amountRefunded]);
  const againstRecord = compare([event.created, eventRank, refunded], [payment.stripeUpdatedAt, recordRank, payment.amountRefunded]);
  if (event.eventId !== payment.lastStripeEventId) {
    const behindEvents = event.created < lastCreated || (event.created === lastCreated && progress < 0);
    const behindState = againstRecord < 0 && eventRank < recordRank;
    if (behindEvents || behindState) return { kind: 'stale', record: payment };
  }

  const amountRefunded = Math.max(payment.amountRefunded, refunded);
  const takesState = againstRecord >= 0;
  const sameSecondWinner = event.created === lastCreated && (progress > 0 || (progress === 0 && event.eventId > (payment.lastStripeEventId ?? '')));
  const lastStripeEventId = event.created > lastCreated || sameSecondWinner ? event.eventId : payment.lastStripeEventId;
  const next: Payment = {
    ...payment,
    ...(takesState
      ? {
          amount: snapshot.amount,
          amountCapturable: snapshot.amountCapturable,
          amountReceived: snapshot.amountReceived,
          lastError: snapshot.lastError,
          cancellationReason: snapshot.cancellationReason,
          intentStatus: snapshot.status,
          stripeUpdatedAt: event.created,
        }
      : {}),
    amountRefunded,
    lastStripeEventCreated: Math.max(lastCreated, event.created),
    lastStripeEventId,
  };
  next.status = paymentStatus({ status: next.intentStatus, amountReceived: next.amountReceived, amountRefunded });
  if (sameButUpdatedAt(next, payment)) return { kind: 'applied', record: payment };
  return { kind: 'applied', record: { ...next, updatedAt: now } };
}
