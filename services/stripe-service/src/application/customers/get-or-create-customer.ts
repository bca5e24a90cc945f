import { isActive, toCustomer, type Customer, type CustomerRecord } from '../../domain/customer';
import type { Clock } from '../ports/clock';
import type { CustomerGateway } from '../ports/customer-gateway';
import type { CustomerRepository } from '../ports/customer-repository';
import { stripeIdempotencyKey } from '../shared/idempotency-keys';
import { CustomerCreationInProgressError } from './customer-errors';

export interface GetOrCreateCustomerInput {
  userId: string;
  email: string | undefined;
  role: string;
}

export interface GetOrCreateCustomerOutput {
  customer: Customer;
  /** True only for the request that created the Stripe customer. */
  created: boolean;
}

export interface GetOrCreateCustomerOptions {
  /** How long one request may hold the right to create the Stripe customer before another takes over. */
  leaseMs: number;
  /** How long a request waits for a concurrent creator before answering 409. */
  waitMs: number;
  pollMs: number;
}

const DEFAULTS: GetOrCreateCustomerOptions = { leaseMs: 10_000, waitMs: 8_000, pollMs: 40 };

/**
 * Returns the caller's Stripe customer, creating it on first use, and never creates two for one
 * user. Three layers make that hold: a conditional insert gives one request at a time a lease to
 * create (the others wait for its result); the create call carries an idempotency key derived from
 * the user id alone, with parameters that never change under it (the email is set afterwards), so a
 * retry or a lease taken over from a slow request replays the first creation for 24 hours; and
 * before creating, Stripe is searched for a customer tagged with this user, which finds what an
 * attempt older than that left behind. The email follows the token: when it changes, the row and
 * the Stripe customer are updated. A customer deleted in Stripe leaves the record `creating` with a
 * free lease (the events worker does that), so the next call makes a new one the same way.
 */
export class GetOrCreateCustomer {
  private readonly options: GetOrCreateCustomerOptions;

  constructor(
    private readonly customers: CustomerRepository,
    private readonly gateway: CustomerGateway,
    private readonly clock: Clock,
    options: Partial<GetOrCreateCustomerOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  async execute(input: GetOrCreateCustomerInput): Promise<GetOrCreateCustomerOutput> {
    const deadline = this.clock.now() + this.options.waitMs;
    let pause = this.options.pollMs;
    for (;;) {
      const existing = await this.customers.get(input.userId);
      if (existing && isActive(existing)) return { customer: await this.followEmail(toCustomer(existing), input.email), created: false };

      const now = this.clock.now();
      const lease = now + this.options.leaseMs;
      if (!existing) {
        if (await this.customers.insertIfAbsent(this.pendingRecord(input, lease, now))) return this.create(input, lease, []);
        continue;
      }
      const heldUntil = existing.leaseExpiresAt ?? 0;
      if (heldUntil <= now) {
        if (await this.customers.replaceLease(input.userId, heldUntil, lease, new Date(now).toISOString())) {
          return this.create(input, lease, existing.deletedStripeCustomerIds ?? []);
        }
        continue;
      }
      if (now >= deadline) throw new CustomerCreationInProgressError();
      await this.clock.sleep(Math.min(pause, Math.max(1, deadline - now)));
      pause = Math.min(pause * 2, 250);
    }
  }

  private pendingRecord(input: GetOrCreateCustomerInput, lease: number, now: number): CustomerRecord {
    const timestamp = new Date(now).toISOString();
    return {
      userId: input.userId,
      email: input.email,
      role: input.role,
      status: 'creating',
      stripeCustomerId: undefined,
      leaseExpiresAt: lease,
      createdAt: timestamp,
      updatedAt: timestamp,
    };
  }

  /**
   * `deleted`: the user's customers deleted in Stripe. Each one gives the creation a new key (the old
   * one would replay the dead customer for 24 hours), and search, which may lag the deletion, is not
   * trusted with them.
   */
  private async create(input: GetOrCreateCustomerInput, lease: number, deleted: string[]): Promise<GetOrCreateCustomerOutput> {
    let stripeCustomerId: string;
    try {
      const earlier = await this.gateway.findCustomerForUser(input.userId);
      const found =
        (earlier && !deleted.includes(earlier.id) ? earlier : undefined) ??
        (await this.gateway.createCustomer({ userId: input.userId, idempotencyKey: stripeIdempotencyKey('customer-create', input.userId, ...deleted) }));
      if (found.email !== input.email) await this.gateway.updateCustomerEmail(found.id, input.email);
      stripeCustomerId = found.id;
    } catch (error) {
      // Give the lease up so the next request can try at once instead of waiting for it to expire.
      await this.customers.replaceLease(input.userId, lease, 0, new Date(this.clock.now()).toISOString()).catch(() => false);
      throw error;
    }
    const stored = await this.customers.complete(input.userId, stripeCustomerId, input.email, new Date(this.clock.now()).toISOString());
    if (!isActive(stored)) throw new Error(`customer record for ${input.userId} is not active after completion`);
    return { customer: toCustomer(stored), created: stored.stripeCustomerId === stripeCustomerId };
  }

  /** The token is the source of truth for the email; the row and Stripe catch up when it changes. */
  private async followEmail(customer: Customer, email: string | undefined): Promise<Customer> {
    if (customer.email === email) return customer;
    await this.gateway.updateCustomerEmail(customer.stripeCustomerId, email);
    const updatedAt = new Date(this.clock.now()).toISOString();
    await this.customers.updateEmail(customer.userId, email, updatedAt);
    return { ...customer, email, updatedAt };
  }
}
