import type { Subscription } from '../../domain/subscription';

/** The subscriptions table: one row per Stripe subscription, keyed by user and subscription id. Reads are strongly consistent. */
export interface SubscriptionRepository {
  /** One of the user's subscriptions. */
  get(userId: string, subscriptionId: string): Promise<Subscription | undefined>;
  /** Stores a new subscription at version 1; false when one with this id exists already (nothing is written then). */
  create(subscription: Subscription): Promise<boolean>;
  /** Replaces the subscription if it is still at `expectedVersion`; false when another writer got there first. */
  update(subscription: Subscription, expectedVersion: number): Promise<boolean>;
}

export const SUBSCRIPTION_REPOSITORY = Symbol.for('SubscriptionRepository');
