import { applySnapshot, cancelProblem, captureProblem, confirmProblem, mayBeCapturedBy, mayBeRefundedBy, paymentStatus, refundableAmount, refundProblem, withRefund, type Payment } from '../../../src/domain/payment';
import { samplePayment } from '../../support/sample-payment';

const base = (overrides: Partial<Payment> = {}) => samplePayment('user-1', overrides);
const succeeded = (overrides: Partial<Payment> = {}) => base({ status: 'succeeded', intentStatus: 'succeeded', amountReceived: 1000, ...overrides });

describe('payment status', () => {
  it('derives refunded states from a succeeded intent only', () => {
    expect(paymentStatus({ status: 'succeeded', amountReceived: 1000, amountRefunded: 0 })).toBe('succeeded');
    expect(paymentStatus({ status: 'succeeded', amountReceived: 1000, amountRefunded: 999 })).toBe('partially_refunded');
    expect(paymentStatus({ status: 'succeeded', amountReceived: 1000, amountRefunded: 1000 })).toBe('refunded');
    expect(paymentStatus({ status: 'canceled', amountReceived: 0, amountRefunded: 5 })).toBe('canceled');
  });
});

describe('capture rules', () => {
  const authorized = base({ status: 'authorized', intentStatus: 'authorized', amountCapturable: 1000 });
  it('captures all or up to the authorized amount of an authorized payment only', () => {
    expect(captureProblem(authorized, undefined)).toBeUndefined();
    expect(captureProblem(authorized, 1000)).toBeUndefined();
    expect(captureProblem(authorized, 1001)).toBe('exceeds_authorized');
    expect(captureProblem(succeeded(), undefined)).toBe('not_capturable');
    expect(captureProblem(base({ status: 'canceled' }), 1)).toBe('not_capturable');
  });

  it('takes a captured payment for this capture\'s own work only after a manual capture of all, or of exactly what was received', () => {
    const captured = succeeded({ captureMethod: 'manual', amount: 2000, amountReceived: 1500 });
    expect(mayBeCapturedBy(captured, undefined)).toBe(true);
    expect(mayBeCapturedBy(captured, 1500)).toBe(true);
    expect(mayBeCapturedBy(captured, 1499)).toBe(false);
    expect(mayBeCapturedBy(captured, 1501)).toBe(false);
    expect(mayBeCapturedBy(succeeded({ captureMethod: 'manual', status: 'refunded', amountRefunded: 1000 }), 1000)).toBe(true);
    expect(mayBeCapturedBy(succeeded(), undefined)).toBe(false);
    expect(mayBeCapturedBy(authorized, undefined)).toBe(false);
    expect(mayBeCapturedBy(base({ captureMethod: 'manual', status: 'canceled', intentStatus: 'canceled' }), undefined)).toBe(false);
  });
});

describe('refund rules', () => {
  it('refunds up to what was captured and not yet refunded', () => {
    const partly = succeeded({ status: 'partially_refunded', amountRefunded: 400 });
    expect(refundableAmount(partly)).toBe(600);
    expect(refundProblem(partly, 600)).toBeUndefined();
    expect(refundProblem(partly, 601)).toBe('exceeds_refundable');
    expect(refundProblem(partly, undefined)).toBeUndefined();
    expect(refundProblem(succeeded({ status: 'refunded', amountRefunded: 1000 }), 1)).toBe('not_refundable');
    expect(refundProblem(base({ status: 'authorized' }), 1)).toBe('not_refundable');
    expect(refundableAmount(succeeded({ amountRefunded: 1200 }))).toBe(0);
  });

  it('takes what is refunded for this refund\'s own work only when it holds the amount asked, or all when none is', () => {
    const partly = succeeded({ status: 'partially_refunded', amountRefunded: 400 });
    expect(mayBeRefundedBy(partly, 400)).toBe(true);
    expect(mayBeRefundedBy(partly, 1)).toBe(true);
    expect(mayBeRefundedBy(partly, 401)).toBe(false);
    expect(mayBeRefundedBy(succeeded({ status: 'refunded', amountRefunded: 1000 }), undefined)).toBe(true);
    expect(mayBeRefundedBy(succeeded(), 1)).toBe(false);
    expect(mayBeRefundedBy(succeeded(), undefined)).toBe(false);
    expect(mayBeRefundedBy(base({ status: 'canceled', intentStatus: 'canceled', amountRefunded: 1000 }), undefined)).toBe(false);
  });

  it('counts a refund once, and not the failed ones', () => {
    const refund = { id: 're_1', amount: 300, status: 'succeeded', reason: undefined, createdAt: 'x' };
    const once = withRefund(succeeded(), refund, 'now');
    expect(once).toMatchObject({ amountRefunded: 300, status: 'partially_refunded', updatedAt: 'now' });
    expect(withRefund(once, refund, 'later')).toBe(once);
    const failed = withRefund(once, { ...refund, id: 're_2', status: 'failed' }, 'later');
    expect(failed.amountRefunded).toBe(300);
    expect(withRefund(once, { ...refund, id: 're_3', amount: 700 }, 'later')).toMatchObject({ amountRefunded: 1000, status: 'refunded' });
  });
});

describe('cancel and confirm rules', () => {
  it('cancels what was not taken, and confirms what waits for it', () => {
    expect(cancelProblem(base({ status: 'pending' }))).toBeUndefined();
    expect(cancelProblem(base({ status: 'authorized' }))).toBeUndefined();
    expect(cancelProblem(succeeded())).toBe('already_succeeded');
    expect(cancelProblem(succeeded({ status: 'partially_refunded' }))).toBe('already_succeeded');
    expect(cancelProblem(succeeded({ status: 'refunded', amountRefunded: 1000 }))).toBe('already_succeeded');
    expect(cancelProblem(base({ status: 'processing' }))).toBe('processing');
    for (const status of ['pending', 'failed', 'requires_action'] as const) expect(confirmProblem(base({ status }))).toBeUndefined();
    for (const status of ['authorized', 'succeeded', 'canceled', 'processing'] as const) expect(confirmProblem(base({ status }))).toBe('not_confirmable');
  });
});

describe('applying what Stripe reports', () => {
  const snapshot = { status: 'succeeded' as const, amount: 1000, amountCapturable: 0, amountReceived: 1000, amountRefunded: 0, lastError: undefined, cancellationReason: undefined };
  it('applies a newer report and ignores an older one', () => {
    const payment = base({ stripeUpdatedAt: 100 });
    const applied = applySnapshot(payment, snapshot, 100, 'now');
    expect(applied).toMatchObject({ status: 'succeeded', intentStatus: 'succeeded', amountReceived: 1000, stripeUpdatedAt: 100, updatedAt: 'now' });
    expect(applySnapshot(applied, { ...snapshot, status: 'pending', amountReceived: 0 }, 99, 'later')).toBe(applied);
  });

  it('changes nothing when the report says nothing new, and never shrinks refunds', () => {
    const applied = applySnapshot(base(), snapshot, 200, 'now');
    expect(applySnapshot(applied, snapshot, 300, 'later')).toBe(applied);
    const refunded = { ...applied, amountRefunded: 500, status: 'partially_refunded' as const };
    expect(applySnapshot(refunded, { ...snapshot, amountRefunded: 100 }, 400, 'later').amountRefunded).toBe(500);
  });
});
