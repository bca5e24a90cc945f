import { ServiceUnavailableError } from '@shared/errors/domain-error';
import { CustomerCreationInProgressError, CustomerNotFoundError } from '../../../src/application/customers/customer-errors';
import { GetCustomer } from '../../../src/application/customers/get-customer';
import { GetOrCreateCustomer } from '../../../src/application/customers/get-or-create-customer';
import type { GatewayCustomer } from '../../../src/application/ports/customer-gateway';
import { stripeIdempotencyKey } from '../../../src/application/shared/idempotency-keys';
import { applyCustomerDeletion } from '../../../src/domain/customer-events';
import { InMemoryCustomerGateway } from '../../fakes/in-memory-customer-gateway';
import { InMemoryCustomerRepository } from '../../fakes/in-memory-customer-repository';
import { ManualClock } from '../../support/manual-clock';

function setup() {
  const customers = new InMemoryCustomerRepository();
  const gateway = new InMemoryCustomerGateway();
  const clock = new ManualClock();
  const useCase = new GetOrCreateCustomer(customers, gateway, clock, { leaseMs: 10_000, waitMs: 5_000, pollMs: 20 });
  return { customers, gateway, clock, useCase };
}

const alice = { userId: 'alice', email: 'alice@example.com', role: 'user' };

describe('GetOrCreateCustomer', () => {
  it('creates the Stripe customer on first use, tagged with the user id, and returns it afterwards', async () => {
    const { gateway, useCase } = setup();
    const first = await useCase.execute(alice);
    expect(first.created).toBe(true);
    expect(gateway.customers.get(first.customer.stripeCustomerId)).toEqual({ id: first.customer.stripeCustomerId, email: 'alice@example.com', userId: 'alice' });
    const second = await useCase.execute(alice);
    expect(second).toEqual({ customer: first.customer, created: false });
    expect(gateway.createCustomerCalls).toBe(1);
  });

  it('creates exactly one Stripe customer for 50 concurrent first requests', async () => {
    const { gateway, useCase } = setup();
    const results = await Promise.all(Array.from({ length: 50 }, () => useCase.execute(alice)));
    expect(new Set(results.map((r) => r.customer.stripeCustomerId)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(gateway.customers.size).toBe(1);
  });

  it('reuses a customer Stripe already has for this user when an earlier attempt died before saving it', async () => {
    const { customers, gateway, clock, useCase } = setup();
    const orphan = await gateway.createCustomer({ userId: 'alice', idempotencyKey: 'earlier-attempt' });
    await customers.insertIfAbsent({
      userId: 'alice', email: 'alice@example.com', role: 'user', status: 'creating', stripeCustomerId: undefined,
      leaseExpiresAt: clock.now() - 1, createdAt: 'x', updatedAt: 'x',
    });
    const result = await useCase.execute(alice);
    expect(result.customer.stripeCustomerId).toBe(orphan.id);
    expect(gateway.customers.size).toBe(1);
    expect(gateway.customers.get(orphan.id)?.email).toBe('alice@example.com');
  });

  it('waits for a live lease held by another request and returns its result', async () => {
    const { customers, clock, useCase } = setup();
    await customers.insertIfAbsent({
      userId: 'alice', email: 'alice@example.com', role: 'user', status: 'creating', stripeCustomerId: undefined,
      leaseExpiresAt: clock.now() + 10_000, createdAt: 'x', updatedAt: 'x',
    });
    const pending = useCase.execute(alice);
    await new Promise((resolve) => setImmediate(resolve));
    await customers.complete('alice', 'cus_fromOtherRequest', 'alice@example.com', 'y');
    await expect(pending).resolves.toMatchObject({ created: false, customer: { stripeCustomerId: 'cus_fromOtherRequest' } });
  });

  it('answers 409 customer_creation_in_progress when the other request holds the lease past the wait', async () => {
    const { customers, clock, useCase } = setup();
    await customers.insertIfAbsent({
      userId: 'alice', email: 'alice@example.com', role: 'user', status: 'creating', stripeCustomerId: undefined,
      leaseExpiresAt: clock.now() + 60_000, createdAt: 'x', updatedAt: 'x',
    });
    const error = await useCase.execute(alice).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CustomerCreationInProgressError);
    expect((error as CustomerCreationInProgressError).retryAfterSeconds).toBe(1);
  });

  it('takes over an expired lease and creates with the same idempotency key', async () => {
    const { customers, gateway, clock, useCase } = setup();
    await customers.insertIfAbsent({
      userId: 'bob', email: undefined, role: 'user', status: 'creating', stripeCustomerId: undefined,
      leaseExpiresAt: clock.now() - 1, createdAt: 'x', updatedAt: 'x',
    });
    // The crashed request had already reached Stripe with the user's key.
    const earlier = await gateway.createCustomer({ userId: 'bob', idempotencyKey: stripeIdempotencyKey('customer-create', 'bob') });
    const result = await useCase.execute({ userId: 'bob', email: undefined, role: 'user' });
    expect(result.customer.stripeCustomerId).toBe(earlier.id);
    expect(gateway.customers.size).toBe(1);
  });

  it('gives the lease up when Stripe fails, so the next request retries at once', async () => {
    const { customers, gateway, useCase } = setup();
    const failing = Object.assign(Object.create(gateway) as InMemoryCustomerGateway, {
      createCustomer: async (): Promise<GatewayCustomer> => {
        throw new ServiceUnavailableError('down', 'payment_provider_unavailable');
      },
    });
    const clock = new ManualClock();
    const flaky = new GetOrCreateCustomer(customers, failing, clock, { leaseMs: 10_000, waitMs: 100, pollMs: 20 });
    await expect(flaky.execute(alice)).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect((await customers.get('alice'))?.leaseExpiresAt).toBe(0);
    const result = await useCase.execute(alice);
    expect(result.created).toBe(true);
  });
});

describe('GetOrCreateCustomer when the email claim changes', () => {
  it('replays the first creation when a retry after a lost response carries another email, and the row follows the token', async () => {
    const { customers, gateway, clock } = setup();
    // The first attempt created the customer at Stripe, then its response was lost with the lease still held.
    await customers.insertIfAbsent({
      userId: 'carol', email: 'old@example.com', role: 'user', status: 'creating', stripeCustomerId: undefined,
      leaseExpiresAt: clock.now() - 1, createdAt: 'x', updatedAt: 'x',
    });
    const first = await gateway.createCustomer({ userId: 'carol', idempotencyKey: stripeIdempotencyKey('customer-create', 'carol') });
    // The search index has not caught up yet: only the creation key can find it.
    const unindexed = Object.assign(Object.create(gateway) as InMemoryCustomerGateway, { findCustomerForUser: async () => undefined });
    const retry = new GetOrCreateCustomer(customers, unindexed, clock, { leaseMs: 10_000, waitMs: 5_000, pollMs: 20 });
    const result = await retry.execute({ userId: 'carol', email: 'new@example.com', role: 'user' });
    expect(result.customer).toMatchObject({ stripeCustomerId: first.id, email: 'new@example.com' });
    expect(gateway.customers.size).toBe(1);
    expect(gateway.customers.get(first.id)?.email).toBe('new@example.com');
    expect((await customers.get('carol'))?.email).toBe('new@example.com');
  });

  it('finds the customer by user id after the creation key expired, whatever the email is now', async () => {
    const { customers, gateway, clock, useCase } = setup();
    await customers.insertIfAbsent({
      userId: 'dave', email: undefined, role: 'user', status: 'creating', stripeCustomerId: undefined,
      leaseExpiresAt: clock.now() - 1, createdAt: 'x', updatedAt: 'x',
    });
    const old = await gateway.createCustomer({ userId: 'dave', idempotencyKey: 'a-key-stripe-forgot' });
    const result = await useCase.execute({ userId: 'dave', email: 'dave@example.com', role: 'user' });
    expect(result.customer.stripeCustomerId).toBe(old.id);
    expect(gateway.createCustomerCalls).toBe(1);
  });

  it('updates the row and the Stripe customer when an active customer arrives with a new or no email', async () => {
    const { customers, gateway, useCase } = setup();
    const { customer } = await useCase.execute(alice);
    const changed = await useCase.execute({ ...alice, email: 'alice@new.example.com' });
    expect(changed).toMatchObject({ created: false, customer: { stripeCustomerId: customer.stripeCustomerId, email: 'alice@new.example.com' } });
    expect((await customers.get('alice'))?.email).toBe('alice@new.example.com');
    expect(gateway.customers.get(customer.stripeCustomerId)?.email).toBe('alice@new.example.com');
    const dropped = await useCase.execute({ ...alice, email: undefined });
    expect(dropped.customer.email).toBeUndefined();
    expect((await customers.get('alice'))?.email).toBeUndefined();
    expect(gateway.customers.get(customer.stripeCustomerId)?.email).toBeUndefined();
  });
});

describe('GetCustomer', () => {
  it('returns the mapping once created and 404s before', async () => {
    const { customers, useCase } = setup();
    const getCustomer = new GetCustomer(customers);
    await expect(getCustomer.execute('alice')).rejects.toBeInstanceOf(CustomerNotFoundError);
    const { customer } = await useCase.execute(alice);
    await expect(getCustomer.execute('alice')).resolves.toEqual(customer);
  });

  it('makes a new customer after the old one was deleted in Stripe, though search still lists it and its creation key would replay it', async () => {
    const { customers, gateway, clock, useCase } = setup();
    const first = await useCase.execute(alice);
    // The events worker detaches the record on customer.deleted; the fake's search still has the dead customer (Stripe's lags).
    const stored = await customers.get('alice');
    if (!stored) throw new Error('no record');
    const detached = applyCustomerDeletion(stored, first.customer.stripeCustomerId, new Date(clock.now()).toISOString()).record;
    expect(await customers.replaceIfUnchanged(detached, stored)).toBe(true);
    const second = await useCase.execute(alice);
    expect(second.created).toBe(true);
    expect(second.customer.stripeCustomerId).not.toBe(first.customer.stripeCustomerId);
    expect(gateway.customers.get(second.customer.stripeCustomerId)).toMatchObject({ userId: 'alice', email: 'alice@example.com' });
    expect(await customers.findByStripeCustomerId(second.customer.stripeCustomerId)).toMatchObject({ userId: 'alice', deletedStripeCustomerIds: [first.customer.stripeCustomerId] });
    // Its own retries replay it: the key depends on the deleted customers, not on the attempt.
    expect(await gateway.createCustomer({ userId: 'alice', idempotencyKey: stripeIdempotencyKey('customer-create', 'alice', first.customer.stripeCustomerId) })).toMatchObject({ id: second.customer.stripeCustomerId });
    expect((await useCase.execute(alice)).customer.stripeCustomerId).toBe(second.customer.stripeCustomerId);
  });
});
