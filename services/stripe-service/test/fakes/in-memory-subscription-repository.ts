import type { SubscriptionRepository } from '../../src/application/ports/subscription-repository';
import type { Subscription } from '../../src/domain/subscription';

/** For unit tests of use cases; the SubscriptionRepository contract suite proves it behaves like the DynamoDB adapter. */
export class InMemorySubscriptionRepository implements SubscriptionRepository {
  private readonly rows = new Map<string, Subscription>();

  async get(userId: string, subscriptionId: string): Promise<Subscription | undefined> {
    const row = this.rows.get(`${userId}\u0000${subscriptionId}`);
    return row ? structuredClone(row) : undefined;
  }

  async create(subscription: Subscription): Promise<boolean> {
    const key = `${subscription.userId}\u0000${subscription.subscriptionId}`;
    if (this.rows.has(key)) return false;
    this.rows.set(key, structuredClone(subscription));
    return true;
  }

  async update(subscription: Subscription, expectedVersion: number): Promise<boolean> {
    const key = `${subscription.userId}\u0000${subscription.subscriptionId}`;
    if (this.rows.get(key)?.version !== expectedVersion) return false;
    this.rows.set(key, structuredClone(subscription));
    return true;
  }
}
