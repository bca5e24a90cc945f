/**
 * A refund's own news after it was made: Stripe may accept a refund and fail it later (the card's
 * account closed, the card expired), when the money comes back to the merchant's balance and the
 * charge's amount_refunded drops by it. The payment record follows, so it never claims that money
 * reached the customer.
 */
import { countedRefunds, countsAsRefunded, paymentStatus, type Payment, type RefundRecord } from './payment';
import type { EventApplication, StripeEventStamp } from './payment-events';

/** The rank of the statuses a refund waits in (pending, requires_action): none is further along than another. */
const WAITING = 0;

/**
 * How far along a refund is. Failed and canceled are final, so a late event of the refund's earlier
 * state (its refund.created, an update to succeeded) never moves it back.
 */
function refundRank(status: string): number {
  if (status === 'succeeded') return 1;
  if (!countsAsRefunded(status)) return 2;
  return WAITING;
}

function epochSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

/**
 * What of a charge's amount_refunded reported at `created` (epoch seconds) is refunds that have since
 * failed: those that existed by then and failed in that second or later. A charge figure of a later
 * second already leaves them out.
 */
export function failedSince(payment: Pick<Payment, 'refunds'>, created: number): number {
  return payment.refunds
    .filter((r) => !countsAsRefunded(r.status) && r.failedAt !== undefined && r.failedAt >= created && epochSeconds(r.createdAt) <= created)
    .reduce((sum, r) => sum + r.amount, 0);
}

/**
 * Applies a refund's new status (refund.updated, refund.failed) to its payment: the refund in the
 * list, keyed by id, added if this is the first the record hears of it; when it no longer counts,
 * its amount leaves amountRefunded if the record counted it, and the payment's status follows.
 * Stale when the record already holds the refund further along (its own order: a failure is
 * final); a redelivery changes nothing.
 */
export function applyRefundUpdate(payment: Payment, refund: RefundRecord, event: StripeEventStamp, now: string): EventApplication<Payment> {
  const existing = payment.refunds.find((r) => r.id === refund.id);
  if (existing && refundRank(refund.status) < refundRank(existing.status)) return { kind: 'stale', record: payment };
  if (existing && refundRank(refund.status) === refundRank(existing.status)) {
    // A final status never changes; of two waiting ones the later event's holds (in one second, the later to arrive).
    if (refund.status === existing.status || refundRank(existing.status) !== WAITING) return { kind: 'applied', record: payment };
    if (existing.statusEventCreated !== undefined && event.created < existing.statusEventCreated) return { kind: 'stale', record: payment };
  }

  const failed = !countsAsRefunded(refund.status);
  const next: RefundRecord = {
    id: refund.id,
    amount: refund.amount,
    status: refund.status,
    reason: refund.reason ?? existing?.reason,
    createdAt: existing?.createdAt ?? refund.createdAt,
    ...(refund.failureReason !== undefined ? { failureReason: refund.failureReason } : {}),
    ...(failed ? { failedAt: event.created } : {}),
    ...(refundRank(refund.status) === WAITING ? { statusEventCreated: event.created } : {}),
  };
  const refunds = existing ? payment.refunds.map((r) => (r.id === refund.id ? next : r)) : [...payment.refunds, next];
  // Whether amountRefunded counts this refund: a listed one by its status; an unlisted one when the
  // total holds more than the listed refunds explain (its charge.refunded came before its refund.created).
  const counted = existing ? countsAsRefunded(existing.status) : payment.amountRefunded - countedRefunds(payment.refunds) >= refund.amount;
  const amountRefunded = failed
    ? counted
      ? Math.max(0, payment.amountRefunded - refund.amount)
      : payment.amountRefunded
    : Math.max(payment.amountRefunded, countedRefunds(refunds));
  // The record's event position is left as it is: it orders the intent's states, which a refund's
  // news says nothing about (an intent event older than the failure must still apply). Charge
  // figures older than the failure are read without it instead (failedSince).
  return {
    kind: 'applied',
    record: { ...payment, refunds, amountRefunded, status: paymentStatus({ status: payment.intentStatus, amountReceived: payment.amountReceived, amountRefunded }), updatedAt: now },
  };
}
