import { isActive, type CustomerRecord } from '../../../src/domain/customer';
import { applyCustomerUpdate, knowsStripeCustomer } from '../../../src/domain/customer-events';

const NOW = '2026-01-01T00:10:00.000Z';
const T0 = 1_767_225_600;

const record = (overrides: Partial<CustomerRecord> = {}): CustomerRecord => ({
  userId: 'user-1',
  email: 'old@example.com',
  role: 'customer',
  status: 'active',
  stripeCustomerId: 'cus_1',
  leaseExpiresAt: undefined,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...overrides,
});

const update = (current: CustomerRecord, stripeCustomerId = 'cus_1') =>
  applyCustomerUpdate(current, { stripeCustomerId, email: 'new@example.com' }, undefined, { eventId: 'evt_1', created: T0 }, NOW);

describe('the Stripe customers a record knows', () => {
  it('are the one it points at and the deleted ones, no other', () => {
    expect(knowsStripeCustomer(record(), 'cus_1')).toBe(true);
    expect(knowsStripeCustomer(record(), 'cus_2')).toBe(false);
    expect(knowsStripeCustomer(record({ stripeCustomerId: 'cus_3', deletedStripeCustomerIds: ['cus_2'] }), 'cus_2')).toBe(true);
    expect(knowsStripeCustomer(record({ stripeCustomerId: 'cus_3', deletedStripeCustomerIds: ['cus_2'] }), 'cus_4')).toBe(false);
  });
});

describe('customer.updated', () => {
  it('follows the email of the customer the active record points at', () => {
    const result = update(record());
    expect(result.kind).toBe('applied');
    expect(result.record.email).toBe('new@example.com');
  });

  it('is stale for a record that no longer points at any customer (its customer deleted)', () => {
    const current = record({ status: 'creating', stripeCustomerId: 'cus_1' });
    expect(update(current)).toEqual({ kind: 'stale', record: current });
  });

  it('is stale for a record that points at another customer', () => {
    const current = record({ stripeCustomerId: 'cus_2' });
    expect(update(current)).toEqual({ kind: 'stale', record: current });
  });
});

describe('an active customer', () => {
  it('is active and linked to a Stripe customer, both', () => {
    expect(isActive(record())).toBe(true);
    expect(isActive(record({ status: 'creating' }))).toBe(false);
    expect(isActive(record({ stripeCustomerId: undefined }))).toBe(false);
    expect(isActive(record({ status: 'creating', stripeCustomerId: undefined }))).toBe(false);
  });
});
