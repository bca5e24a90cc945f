import type { Payment, RefundRecord } from '../../../src/domain/payment';
import { applyRefundUpdate, failedSince } from '../../../src/domain/refund-events';
import { samplePayment } from '../../support/sample-payment';

const NOW = '2026-01-01T00:10:00.000Z';
const T0 = Date.parse('2026-01-01T00:00:00.000Z') / 1000;

const refund = (id: string, status: string, overrides: Partial<RefundRecord> = {}): RefundRecord => ({
  id,
  amount: 300,
  status,
  reason: undefined,
  createdAt: '2026-01-01T00:00:00.000Z',
  ...overrides,
});

const paid = (overrides: Partial<Payment> = {}): Payment =>
  samplePayment('user-1', { status: 'succeeded', intentStatus: 'succeeded', amountReceived: 1000, ...overrides });

const at = (created: number, eventId = `evt_${created}`) => ({ eventId, created });

describe('a refund reported further back than the record holds it', () => {
  it('leaves a succeeded refund succeeded when a late pending update arrives', () => {
    const payment = paid({ refunds: [refund('re_1', 'succeeded')], amountRefunded: 300 });
    expect(applyRefundUpdate(payment, refund('re_1', 'pending'), at(T0 + 5), NOW)).toEqual({ kind: 'stale', record: payment });
  });
});

describe('a refund reported at the rank the record holds it', () => {
  it('keeps a final status final: a failed refund reported canceled is unchanged', () => {
    const payment = paid({ refunds: [refund('re_1', 'failed', { failedAt: T0 })], amountRefunded: 0 });
    const result = applyRefundUpdate(payment, refund('re_1', 'canceled'), at(T0 + 5), NOW);
    expect(result.kind).toBe('applied');
    expect(result.record).toBe(payment);
  });

  it('changes nothing on a later event of the same waiting status', () => {
    const payment = paid({ refunds: [refund('re_1', 'pending', { statusEventCreated: T0 })], amountRefunded: 300 });
    const result = applyRefundUpdate(payment, refund('re_1', 'pending'), at(T0 + 5), NOW);
    expect(result.kind).toBe('applied');
    expect(result.record).toBe(payment);
  });

  it('takes the later-arriving of two waiting statuses reported in the same second', () => {
    const payment = paid({ refunds: [refund('re_1', 'pending', { statusEventCreated: T0 })], amountRefunded: 300 });
    const result = applyRefundUpdate(payment, refund('re_1', 'requires_action'), at(T0), NOW);
    expect(result.kind).toBe('applied');
    expect(result.record.refunds).toEqual([refund('re_1', 'requires_action', { statusEventCreated: T0 })]);
  });
});

describe('the refund list', () => {
  it('adds a refund it has not heard of beside the others, and leaves the others as they were', () => {
    const first = refund('re_1', 'succeeded', { amount: 500 });
    const payment = paid({ refunds: [first], amountRefunded: 500 });
    const result = applyRefundUpdate(payment, refund('re_2', 'succeeded'), at(T0 + 5), NOW);
    expect(result.record.refunds).toEqual([first, refund('re_2', 'succeeded')]);
    expect(result.record.amountRefunded).toBe(800);
  });

  it('replaces only the refund the event is about', () => {
    const first = refund('re_1', 'succeeded', { amount: 500 });
    const payment = paid({ refunds: [first, refund('re_2', 'pending', { statusEventCreated: T0 })], amountRefunded: 800 });
    const result = applyRefundUpdate(payment, refund('re_2', 'failed', { failureReason: 'expired_or_canceled_card' }), at(T0 + 5), NOW);
    expect(result.record.refunds).toEqual([first, refund('re_2', 'failed', { failureReason: 'expired_or_canceled_card', failedAt: T0 + 5 })]);
    expect(result.record.amountRefunded).toBe(500);
    expect(result.record.status).toBe('partially_refunded');
  });

  it('writes no failure reason Stripe did not give (no undefined attribute in the record)', () => {
    const payment = paid({ refunds: [], amountRefunded: 0 });
    const [added] = applyRefundUpdate(payment, refund('re_1', 'succeeded'), at(T0 + 5), NOW).record.refunds;
    expect(added).toBeDefined();
    expect(Object.keys(added ?? {})).not.toContain('failureReason');
  });
});

describe('an unlisted refund that failed', () => {
  it('takes nothing off a total the listed refunds already explain', () => {
    const payment = paid({ refunds: [refund('re_1', 'succeeded', { amount: 500 })], amountRefunded: 500 });
    const result = applyRefundUpdate(payment, refund('re_2', 'failed'), at(T0 + 5), NOW);
    expect(result.record.amountRefunded).toBe(500);
  });

  it('takes its amount off a total that holds more than the listed refunds explain', () => {
    const payment = paid({ refunds: [refund('re_1', 'succeeded', { amount: 500 })], amountRefunded: 800 });
    const result = applyRefundUpdate(payment, refund('re_2', 'failed'), at(T0 + 5), NOW);
    expect(result.record.amountRefunded).toBe(500);
  });
});

describe('failedSince', () => {
  it('counts only failed refunds that already existed at the charge figure', () => {
    const payment = {
      refunds: [
        refund('re_before', 'failed', { amount: 100, failedAt: T0 + 10 }),
        refund('re_after', 'failed', { amount: 200, createdAt: '2026-01-01T00:00:08.000Z', failedAt: T0 + 10 }),
      ],
    };
    expect(failedSince(payment, T0 + 5)).toBe(100);
  });
});
