import type { CustomerRecord } from '../../domain/customer';

/** Stores which Stripe customer belongs to which user. Every read is strongly consistent. */
export interface CustomerRepository {
  /** The user's record, if any. */
  get(userId: string): Promise<CustomerRecord | undefined>;
  /** Inserts a `creating` record; false when the user already has a record (nothing is written then). */
  insertIfAbsent(record: CustomerRecord): Promise<boolean>;
  /**
   * Replaces a `creating` record's lease if it still is `expectedLease`: taking over an expired lease,
   * or giving one up (new lease 0) after a failed attempt. False if the lease changed or the record became active.
   */
  replaceLease(userId: string, expectedLease: number, newLease: number, now: string): Promise<boolean>;
  /**
   * Marks the record active with its Stripe customer. If another request completed it first, the
   * stored record is returned unchanged, so callers always get the winner.
   */
  complete(userId: string, stripeCustomerId: string, email: string | undefined, now: string): Promise<CustomerRecord>;
  /** Replaces (or, when undefined, removes) the stored email of an active customer. */
  updateEmail(userId: string, email: string | undefined, now: string): Promise<void>;
  /**
   * Replaces the record with `next` if its status, Stripe customer, email and last applied Stripe
   * event are still those of `expected` (what Stripe's events change, read just before); false when
   * any of them changed meanwhile or there is no record.
   */
  replaceIfUnchanged(next: CustomerRecord, expected: CustomerRecord): Promise<boolean>;
  /** Reverse lookup (webhooks carry only the Stripe customer id). */
  findByStripeCustomerId(stripeCustomerId: string): Promise<CustomerRecord | undefined>;
}

export const CUSTOMER_REPOSITORY = Symbol.for('CustomerRepository');
