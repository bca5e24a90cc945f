import type { CustomerRecord } from '../../src/domain/customer';
import type { CustomerRepository } from '../../src/application/ports/customer-repository';

/** For unit tests of use cases; the CustomerRepository contract suite proves it behaves like the DynamoDB adapter. */
export class InMemoryCustomerRepository implements CustomerRepository {
  private readonly records = new Map<string, CustomerRecord>();

  async get(userId: string): Promise<CustomerRecord | undefined> {
    const record = this.records.get(userId);
    return record ? structuredClone(record) : undefined;
  }

  async insertIfAbsent(record: CustomerRecord): Promise<boolean> {
    if (this.records.has(record.userId)) return false;
    this.records.set(record.userId, { ...record });
    return true;
  }

  async replaceLease(userId: string, expectedLease: number, newLease: number, now: string): Promise<boolean> {
    const record = this.records.get(userId);
    if (!record || record.status !== 'creating' || record.leaseExpiresAt !== expectedLease) return false;
    this.records.set(userId, { ...record, leaseExpiresAt: newLease, updatedAt: now });
    return true;
  }

  async complete(userId: string, stripeCustomerId: string, email: string | undefined, now: string): Promise<CustomerRecord> {
    const record = this.records.get(userId);
    if (!record) throw new Error(`customer record for ${userId} vanished before completion`);
    if (record.stripeCustomerId !== undefined) return { ...record };
    const completed: CustomerRecord = { ...record, stripeCustomerId, email, status: 'active', leaseExpiresAt: undefined, updatedAt: now };
    this.records.set(userId, completed);
    return { ...completed };
  }

  async updateEmail(userId: string, email: string | undefined, now: string): Promise<void> {
    const record = this.records.get(userId);
    if (!record) throw new Error(`no customer record for ${userId}`);
    this.records.set(userId, { ...record, email, updatedAt: now });
  }

  async replaceIfUnchanged(next: CustomerRecord, expected: CustomerRecord): Promise<boolean> {
    const record = this.records.get(expected.userId);
    if (!record || next.userId !== expected.userId) return false;
    const unchanged =
      record.status === expected.status &&
      record.stripeCustomerId === expected.stripeCustomerId &&
      record.email === expected.email &&
      record.lastStripeEventId === expected.lastStripeEventId;
    if (!unchanged) return false;
    this.records.set(next.userId, structuredClone(next));
    return true;
  }

  async findByStripeCustomerId(stripeCustomerId: string): Promise<CustomerRecord | undefined> {
    for (const record of this.records.values()) {
      if (record.stripeCustomerId === stripeCustomerId) return { ...record };
    }
    return undefined;
  }
}
