import { randomUUID } from 'node:crypto';
import type { Payment } from '../../src/domain/payment';
import { TimeOrderedIdGenerator } from '../../src/adapters/system/time-ordered-id-generator';

let clock = Date.parse('2026-01-01T00:00:00Z');
const ids = new TimeOrderedIdGenerator(() => (clock += 1));

/** A payment record with time-ordered ids, newer on every call. */
export function samplePayment(userId: string, overrides: Partial<Payment> = {}): Payment {
  const paymentId = `pay_${ids.timeOrderedId()}`;
  return {
    userId, paymentId, stripePaymentIntentId: `pi_${randomUUID().replaceAll('-', '')}`, stripeCustomerId: 'cus_x',
    amount: 1000, currency: 'usd', captureMethod: 'automatic', status: 'pending', intentStatus: 'pending',
    amountCapturable: 0, amountReceived: 0, amountRefunded: 0, refunds: [], description: 'Order 1', metadata: { orderId: '1' },
    lastError: undefined, cancellationReason: undefined, stripeUpdatedAt: 1_767_225_600, lastStripeEventId: undefined,
    createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', version: 1, ...overrides,
  };
}

