/**
 * A payment as this service records it: one Stripe payment intent owned by one of our users.
 * Amounts are integer minor units. The status is ours, derived from Stripe's intent status and the
 * refunds made, so callers never need Stripe's vocabulary.
 */

/** Where the intent itself stands. */
export type IntentStatus =
  /** Waiting for a payment method or a confirmation. */
  | 'pending'
  /** The payer must act (3-D Secure). */
  | 'requires_action'
  | 'processing'
  /** Funds held on the card, waiting to be captured (pre-authorization). */
  | 'authorized'
  | 'succeeded'
  /** The last attempt failed (declined card); a new payment method may still be tried. */
  | 'failed'
  | 'canceled';

export type PaymentStatus = IntentStatus | 'partially_refunded' | 'refunded';

export const PAYMENT_STATUSES = [
  'pending',
  'requires_action',
  'processing',
  'authorized',
  'succeeded',
  'failed',
  'canceled',
  'partially_refunded',
  'refunded',
] as const satisfies readonly PaymentStatus[];

export type CaptureMethod = 'automatic' | 'manual';

export interface RefundRecord {
  id: string;
  amount: number;
  status: string;
  reason: string | undefined;
  /** ISO-8601. */
  createdAt: string;
  /** Stripe's failure_reason, once a refund it accepted has failed (closed account, expired card, …). */
  failureReason?: string | undefined;
  /**
   * Stripe's `created` (epoch seconds) of the event that reported the failure: a charge figure of
   * that second or earlier may still count the refund, a later one no longer does.
   */
  failedAt?: number | undefined;
  /**
   * Stripe's `created` (epoch seconds) of the event that set a waiting status (pending,
   * requires_action): two of them are equally far along, so their events' order decides.
   */
  statusEventCreated?: number | undefined;
}

export interface Payment {
  userId: string;
  /** Ours, time-ordered, so a user's payments sort newest first by key. */
  paymentId: string;
  stripePaymentIntentId: string;
  stripeCustomerId: string;
  amount: number;
  currency: string;
  captureMethod: CaptureMethod;
  status: PaymentStatus;
  amountCapturable: number;
  amountReceived: number;
  amountRefunded: number;
  refunds: RefundRecord[];
  description: string | undefined;
  metadata: Record<string, string>;
  lastError: { code: string | undefined; declineCode: string | undefined; message: string | undefined } | undefined;
  cancellationReason: string | undefined;
  /** The intent state last applied to this record and when Stripe reported it (epoch seconds), so older news never wins. */
  intentStatus: IntentStatus;
  stripeUpdatedAt: number;
  lastStripeEventId: string | undefined;
  /** Stripe's `created` (epoch seconds) of the last event applied; API reads do not move it. Absent until an event is applied. */
  lastStripeEventCreated?: number | undefined;
  createdAt: string;
  updatedAt: string;
  /** Bumped by every write; writes are conditional on it, so concurrent writers never lose each other's changes. */
  version: number;
}

/** What Stripe reports about an intent, in our terms. */
export interface IntentSnapshot {
  status: IntentStatus;
  amount: number;
  amountCapturable: number;
  amountReceived: number;
  amountRefunded: number;
  lastError: Payment['lastError'];
  cancellationReason: string | undefined;
}

export function paymentStatus(intent: { status: IntentStatus; amountReceived: number; amountRefunded: number }): PaymentStatus {
  if (intent.status !== 'succeeded' || intent.amountRefunded <= 0) return intent.status;
  return intent.amountRefunded >= intent.amountReceived ? 'refunded' : 'partially_refunded';
}

/**
 * Applies a snapshot observed at `observedAt` (epoch seconds). An observation older than the one
 * already applied changes nothing; refunds only ever grow, whatever order the news arrives in.
 */
export function applySnapshot(payment: Payment, snapshot: IntentSnapshot, observedAt: number, now: string): Payment {
  if (observedAt < payment.stripeUpdatedAt) return payment;
  const amountRefunded = Math.max(payment.amountRefunded, snapshot.amountRefunded);
  const next: Payment = {
    ...payment,
    amount: snapshot.amount,
    amountCapturable: snapshot.amountCapturable,
    amountReceived: snapshot.amountReceived,
    amountRefunded,
    status: paymentStatus({ ...snapshot, amountRefunded }),
    lastError: snapshot.lastError,
    cancellationReason: snapshot.cancellationReason,
    intentStatus: snapshot.status,
    stripeUpdatedAt: observedAt,
    updatedAt: now,
  };
  // Nothing Stripe said is new: keep the record as it is, so an unchanged read writes nothing.
  const same = (p: Payment) => JSON.stringify({ ...p, stripeUpdatedAt: 0, updatedAt: '' });
  return same(next) === same(payment) ? payment : next;
}

/** Adds a refund once (a replayed refund is not counted twice). */
export function withRefund(payment: Payment, refund: RefundRecord, now: string): Payment {
  if (payment.refunds.some((r) => r.id === refund.id)) return payment;
  const refunds = [...payment.refunds, refund];
  const counted = countedRefunds(refunds);
  const amountRefunded = Math.max(payment.amountRefunded, counted);
  return { ...payment, refunds, amountRefunded, status: paymentStatus({ status: payment.intentStatus, amountReceived: payment.amountReceived, amountRefunded }), updatedAt: now };
}

/** Failed and canceled refunds returned nothing to the customer; every other status counts in the charge's amount_refunded. */
export function countsAsRefunded(status: string): boolean {
  return status !== 'failed' && status !== 'canceled';
}

export function countedRefunds(refunds: readonly RefundRecord[]): number {
  return refunds.filter((r) => countsAsRefunded(r.status)).reduce((sum, r) => sum + r.amount, 0);
}

export type CaptureProblem = 'not_capturable' | 'exceeds_authorized';

/** Why this capture cannot happen, or undefined. Capturing the whole authorization when no amount is given. */
export function captureProblem(payment: Payment, amount: number | undefined): CaptureProblem | undefined {
  if (payment.status !== 'authorized') return 'not_capturable';
  if (amount !== undefined && amount > payment.amountCapturable) return 'exceeds_authorized';
  return undefined;
}

/**
 * Whether a payment refused by captureProblem may be in that state because this very capture was
 * made: it succeeded after a manual capture of what this one asks (all, or the same amount). Only
 * then is asking Stripe again, under the capture's own key, worth it: a crashed first attempt is
 * replayed, any other capture refused.
 */
export function mayBeCapturedBy(payment: Payment, amount: number | undefined): boolean {
  return payment.captureMethod === 'manual' && payment.intentStatus === 'succeeded' && (amount === undefined || amount === payment.amountReceived);
}

export type RefundProblem = 'not_refundable' | 'exceeds_refundable';

export function refundableAmount(payment: Payment): number {
  return Math.max(0, payment.amountReceived - payment.amountRefunded);
}

/** Why this refund cannot happen, or undefined. No amount means all that remains. */
export function refundProblem(payment: Payment, amount: number | undefined): RefundProblem | undefined {
  if (payment.status !== 'succeeded' && payment.status !== 'partially_refunded') return 'not_refundable';
  if (amount !== undefined && amount > refundableAmount(payment)) return 'exceeds_refundable';
  return undefined;
}

/**
 * Whether a payment refused by refundProblem may be in that state because this very refund was
 * made: the payment succeeded and what is refunded already holds this refund's amount (all of it,
 * when no amount is given). Otherwise the refusal stands without asking Stripe.
 */
export function mayBeRefundedBy(payment: Payment, amount: number | undefined): boolean {
  return payment.intentStatus === 'succeeded' && payment.amountRefunded > 0 && (amount === undefined || amount <= payment.amountRefunded);
}

export type CancelProblem = 'already_succeeded' | 'processing';

/** Why this payment cannot be canceled, or undefined. A canceled payment cancels again as a no-op. */
export function cancelProblem(payment: Payment): CancelProblem | undefined {
  if (payment.status === 'succeeded' || payment.status === 'partially_refunded' || payment.status === 'refunded') return 'already_succeeded';
  if (payment.status === 'processing') return 'processing';
  return undefined;
}

export type ConfirmProblem = 'not_confirmable';

/** Only a pending, failed or action-required intent can be confirmed. */
export function confirmProblem(payment: Payment): ConfirmProblem | undefined {
  return payment.status === 'pending' || payment.status === 'failed' || payment.status === 'requires_action' ? undefined : 'not_confirmable';
}
