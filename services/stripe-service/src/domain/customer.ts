/**
 * The link between one of our users and their Stripe customer. A record exists as `creating`
 * while one request holds the lease to create the Stripe customer, then as `active`.
 */
export interface CustomerRecord {
  userId: string;
  email: string | undefined;
  role: string;
  status: 'creating' | 'active';
  stripeCustomerId: string | undefined;
  /** While `creating`: when the creating request's lease runs out and another may take over (epoch ms). */
  leaseExpiresAt: number | undefined;
  createdAt: string;
  updatedAt: string;
  /**
   * The user's Stripe customers deleted in Stripe (the dashboard, support), oldest first: their late
   * events are still recognized as this user's, and the next customer is created under a new key.
   */
  deletedStripeCustomerIds?: string[] | undefined;
  /** The last Stripe event applied (customer.updated): `created` (epoch seconds), id, and the state it started from, so older news never wins. */
  lastStripeEventCreated?: number | undefined;
  lastStripeEventId?: string | undefined;
  lastStripeEventFrom?: string | undefined;
}

/** A customer whose Stripe customer exists. */
export interface Customer {
  userId: string;
  stripeCustomerId: string;
  email: string | undefined;
  role: string;
  createdAt: string;
  updatedAt: string;
}

export function isActive(record: CustomerRecord): record is CustomerRecord & { stripeCustomerId: string } {
  return record.status === 'active' && record.stripeCustomerId !== undefined;
}

export function toCustomer(record: CustomerRecord & { stripeCustomerId: string }): Customer {
  return {
    userId: record.userId,
    stripeCustomerId: record.stripeCustomerId,
    email: record.email,
    role: record.role,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}
