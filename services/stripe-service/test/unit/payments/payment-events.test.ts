import { applyIntentEvent } from '../../../src/domain/payment-events';
import type { IntentSnapshot, Payment } from '../../../src/domain/payment';
import { samplePayment } from '../../support/sample-payment';

const T = 1_767_225_700;
const NOW = '2026-01-01T00:10:00.000Z';
const AUTH_FAILURE: Payment['lastError'] = { code: 'payment_intent_authentication_failure', declineCode: undefined, message: 'failed' };

const record = (overrides: Partial<Payment>) =>
  samplePayment('user-1', { lastStripeEventId: 'evt_b', lastStripeEventCreated: T, stripeUpdatedAt: T, ...overrides });
const snapshot = (overrides: Partial<IntentSnapshot>): IntentSnapshot => ({
  status: 'pending', amount: 1000, amountCapturable: 0, amountReceived: 0, amountRefunded: 0, lastError: undefined, cancellationReason: undefined, ...overrides,
});

describe('a payment intent event', () => {
  it('of the same second and an earlier status is stale, even when the record state is from an earlier read', () => {
    const payment = record({ status: 'requires_action', intentStatus: 'requires_action', stripeUpdatedAt: T - 10 });
    expect(applyIntentEvent(payment, snapshot({ status: 'pending' }), { eventId: 'evt_c', created: T }, NOW).kind).toBe('stale');
  });

  it('of a later second is applied even when its status ranks lower (a retry after a challenge)', () => {
    const payment = record({ status: 'requires_action', intentStatus: 'requires_action' });
    const result = applyIntentEvent(payment, snapshot({ status: 'pending' }), { eventId: 'evt_a', created: T + 1 }, NOW);
    expect(result.kind).toBe('applied');
    expect(result.record.intentStatus).toBe('pending');
    expect(result.record.lastStripeEventId).toBe('evt_a');
  });

  it('of a failed challenge in the second of processing is stale: the failure ranks between requires_action and processing', () => {
    const payment = record({ status: 'processing', intentStatus: 'processing' });
    const failed = snapshot({ status: 'failed', lastError: AUTH_FAILURE });
    expect(applyIntentEvent(payment, failed, { eventId: 'evt_c', created: T }, NOW).kind).toBe('stale');
    const challenged = record({ status: 'requires_action', intentStatus: 'requires_action' });
    expect(applyIntentEvent(challenged, failed, { eventId: 'evt_a', created: T }, NOW).record.intentStatus).toBe('failed');
    // Only a failure is moved by its error: a challenge still carrying the last one keeps its own rank.
    const failedRecord = record({ status: 'failed', intentStatus: 'failed', lastError: AUTH_FAILURE });
    expect(applyIntentEvent(failedRecord, snapshot({ status: 'requires_action', lastError: AUTH_FAILURE }), { eventId: 'evt_c', created: T }, NOW).kind).toBe('stale');
  });

  it('of the same second and status but more refunded wins the second whatever its id', () => {
    const payment = record({ status: 'succeeded', intentStatus: 'succeeded', amountReceived: 1000 });
    const result = applyIntentEvent(payment, snapshot({ status: 'succeeded', amountReceived: 1000, amountRefunded: 500 }), { eventId: 'evt_a', created: T }, NOW);
    expect(result.record.lastStripeEventId).toBe('evt_a');
    expect(result.record.amountRefunded).toBe(500);
  });

  it('of the same second and state wins the second only by a greater event id', () => {
    const payment = record({ status: 'succeeded', intentStatus: 'succeeded', amountReceived: 1000 });
    const same = snapshot({ status: 'succeeded', amountReceived: 1000 });
    expect(applyIntentEvent(payment, same, { eventId: 'evt_a', created: T }, NOW).record.lastStripeEventId).toBe('evt_b');
    expect(applyIntentEvent(payment, same, { eventId: 'evt_c', created: T }, NOW).record.lastStripeEventId).toBe('evt_c');
  });

  it('redelivered after a later API read is still applied, leaving the later state', () => {
    const payment = record({ lastStripeEventId: 'evt_1', status: 'succeeded', intentStatus: 'succeeded', amountReceived: 1000, stripeUpdatedAt: T + 5 });
    const result = applyIntentEvent(payment, snapshot({ status: 'processing' }), { eventId: 'evt_1', created: T }, NOW);
    expect(result.kind).toBe('applied');
    expect(result.record.intentStatus).toBe('succeeded');
  });
});
