import type { Payment, PaymentStatus } from '../../domain/payment';

export interface PaymentPage {
  payments: Payment[];
  /** Opaque; present when more payments follow. */
  nextCursor: string | undefined;
}

/** The payments table: one row per payment, keyed by user and a time-ordered payment id. Reads by key are strongly consistent. */
export interface PaymentRepository {
  /** One of the user's payments. */
  get(userId: string, paymentId: string): Promise<Payment | undefined>;
  /** The payment for a Stripe payment intent (eventually consistent index: a just-created row may not be found yet). */
  findByPaymentIntentId(stripePaymentIntentId: string): Promise<Payment | undefined>;
  /** Stores a new payment; when one with this id exists already (a replayed creation), answers that one, unchanged, with `created: false`. */
  create(payment: Payment): Promise<{ payment: Payment; created: boolean }>;
  /** Replaces the payment if it is still at `expectedVersion`; false when another writer got there first. */
  update(payment: Payment, expectedVersion: number): Promise<boolean>;
  /** The user's payments, newest first. A malformed cursor is refused (InvalidCursorError). */
  list(userId: string, options: { limit: number; cursor?: string; status?: PaymentStatus }): Promise<PaymentPage>;
}

export class InvalidCursorError extends Error {
  constructor() {
    super('invalid cursor');
    this.name = 'InvalidCursorError';
  }
}

export const PAYMENT_REPOSITORY = Symbol.for('PaymentRepository');
