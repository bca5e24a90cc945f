/**
 * What happened to each billing event's email, keyed by the billing event id: the record that makes
 * a redelivered event send nothing. A claim is taken before sending and holds for a lease; it
 * becomes `sent` or `rejected` after, or is released when sending failed in a way worth retrying.
 */
export type ClaimResult =
  | { outcome: 'claimed'; token: string }
  /** Already handled: nothing more to send. */
  | { outcome: 'sent' | 'rejected' }
  /** Another delivery holds a live lease (it is sending now, or died less than a lease ago). */
  | { outcome: 'in_progress'; leaseExpiresAt: number };

export interface NotificationLedger {
  /** Takes the event for sending unless it was handled or another live claim holds it (conditional write). */
  claim(eventId: string, now: number, leaseMs: number, token: string): Promise<ClaimResult>;
  /** Records that the provider accepted the message. */
  markSent(eventId: string, token: string, details: { messageId: string; template: string; now: number }): Promise<void>;
  /** Records that the provider refused the message for good, so a redelivery does not try again. */
  markRejected(eventId: string, token: string, details: { reason: string; now: number }): Promise<void>;
  /** Gives the claim up (sending failed and may succeed later); only the holder's token releases it. */
  release(eventId: string, token: string): Promise<void>;
}

export const NOTIFICATION_LEDGER = Symbol.for('NotificationLedger');
