import { DomainError } from '@shared/errors/domain-error';
import { customerCreationIdempotencyKey, isActive, toCustomer, type Customer, type CustomerRecord } from '../../domain/customer';
import type { Clock } from '../ports/clock';
import type { CustomerRepository } from '../ports/customer-repository';
import type { CustomerGateway } from '../ports/payment-gateway';

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

export class CustomerCreationInProgressError extends DomainError {
  constructor() {
    super('conflict', 'customer_creation_in_progress', 'The customer is being created by another request; retry shortly.', {
      retryAfterSeconds: 1,
    });
  }
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
 * create (the others wait for its result); before creating, Stripe is asked for a customer already
 * tagged with this user (an earlier attempt that died after Stripe answered); and the create call
 * carries an idempotency key derived from the user id, so even a lease taken over from a slow
 * request replays the first creation instead of making a second customer.
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
      if (existing && isActive(existing)) return { customer: toCustomer(existing), created: false };

      const now = this.clock.now();
      const lease = now + this.options.leaseMs;
      if (!existing) {
        if (await this.customers.insertIfAbsent(this.pendingRecord(input, lease, now))) return this.create(input, lease);
        continue;
      }
      const heldUntil = existing.leaseExpiresAt ?? 0;
      if (heldUntil <= now) {
        if (await this.customers.replaceLease(input.userId, heldUntil, lease, new Date(now).toISOString())) {
          return this.create(input, lease);
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

  private async create(input: GetOrCreateCustomerInput, lease: number): Promise<GetOrCreateCustomerOutput> {
    let stripeCustomerId: string;
    try {
      const found = await this.gateway.findCustomerForUser(input.userId, input.email);
      stripeCustomerId =
        found?.id ??
        (
          await this.gateway.createCustomer({
            userId: input.userId,
            email: input.email,
            idempotencyKey: customerCreationIdempotencyKey(input.userId),
          })
        ).id;
    } catch (error) {
      // Give the lease up so the next request can try at once instead of waiting for it to expire.
      await this.customers.replaceLease(input.userId, lease, 0, new Date(this.clock.now()).toISOString()).catch(() => false);
      throw error;
    }
    const stored = await this.customers.complete(input.userId, stripeCustomerId, new Date(this.clock.now()).toISOString());
    if (!isActive(stored)) throw new Error(`customer record for ${input.userId} is not active after completion`);
    return { customer: toCustomer(stored), created: stored.stripeCustomerId === stripeCustomerId };
  }
}
