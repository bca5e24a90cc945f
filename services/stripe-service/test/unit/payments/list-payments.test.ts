import { ListPayments } from '../../../src/application/payments/list-payments';
import type { PaymentPage } from '../../../src/application/ports/payment-repository';
import type { Payment } from '../../../src/domain/payment';
import { InMemoryPaymentRepository } from '../../fakes/in-memory-payment-repository';
import { samplePayment } from '../../support/sample-payment';
import { refusal } from './payments-world';

async function stored(repository: InMemoryPaymentRepository, payments: Payment[]) {
  for (const payment of payments) await repository.create(payment);
  return payments;
}

describe('ListPayments', () => {
  it('answers the caller\'s payments newest first, a page at a time, as their owner sees them', async () => {
    const repository = new InMemoryPaymentRepository();
    const [oldest, middle, newest] = await stored(repository, [
      samplePayment('alice'),
      samplePayment('alice', { status: 'failed', intentStatus: 'failed', lastError: { code: 'card_declined', declineCode: 'generic_decline', message: 'Declined.' } }),
      samplePayment('alice', { description: undefined, metadata: {} }),
    ]);
    await stored(repository, [samplePayment('bob'), samplePayment('bob')]);
    const list = new ListPayments(repository);

    const first = await list.execute({ userId: 'alice', limit: 2 });
    expect(first.payments.map((p) => p.paymentId)).toEqual([newest!.paymentId, middle!.paymentId]);
    expect(first.payments[1]).toEqual({
      paymentId: middle!.paymentId, paymentIntentId: middle!.stripePaymentIntentId, customerId: 'cus_x',
      status: 'failed', amount: 1000, currency: 'usd', captureMethod: 'automatic',
      amountCapturable: 0, amountReceived: 0, amountRefunded: 0, refunds: [],
      description: 'Order 1', metadata: { orderId: '1' }, lastError: { code: 'card_declined', declineCode: 'generic_decline', message: 'Declined.' }, cancellationReason: null,
      createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(first.payments[0]).toMatchObject({ description: null, metadata: {} });
    expect(first.nextCursor).toEqual(expect.any(String));

    const second = await list.execute({ userId: 'alice', limit: 2, cursor: first.nextCursor! });
    expect(second).toEqual({ payments: [expect.objectContaining({ paymentId: oldest!.paymentId })], nextCursor: null });
  });

  it('answers every payment on one page when the limit allows, and none for a user with none', async () => {
    const repository = new InMemoryPaymentRepository();
    const payments = await stored(repository, [samplePayment('alice'), samplePayment('alice')]);
    const list = new ListPayments(repository);
    expect(await list.execute({ userId: 'alice', limit: 2 })).toEqual({
      payments: [expect.objectContaining({ paymentId: payments[1]!.paymentId }), expect.objectContaining({ paymentId: payments[0]!.paymentId })],
      nextCursor: null,
    });
    expect(await list.execute({ userId: 'carol', limit: 10 })).toEqual({ payments: [], nextCursor: null });
  });

  it('filters by status', async () => {
    const repository = new InMemoryPaymentRepository();
    const [, paid] = await stored(repository, [samplePayment('alice'), samplePayment('alice', { status: 'succeeded', intentStatus: 'succeeded' }), samplePayment('alice')]);
    const list = new ListPayments(repository);
    expect((await list.execute({ userId: 'alice', limit: 10, status: 'succeeded' })).payments.map((p) => p.paymentId)).toEqual([paid!.paymentId]);
    expect((await list.execute({ userId: 'alice', limit: 10 })).payments).toHaveLength(3);
  });

  it('takes an empty cursor for the first page', async () => {
    const repository = new InMemoryPaymentRepository();
    const [payment] = await stored(repository, [samplePayment('alice')]);
    expect((await new ListPayments(repository).execute({ userId: 'alice', limit: 5, cursor: '' })).payments.map((p) => p.paymentId)).toEqual([payment!.paymentId]);
  });

  it('refuses a cursor that no page gave out', async () => {
    const list = new ListPayments(new InMemoryPaymentRepository());
    const message = 'is not a cursor from a previous page of this list';
    expect(await refusal(list.execute({ userId: 'alice', limit: 5, cursor: 'not-a-cursor' }))).toEqual({
      name: 'InvalidPaymentRequestError', kind: 'validation', code: 'invalid_cursor', message: `cursor: ${message}`, details: { errors: [{ field: 'cursor', message }] },
    });
  });

  it('lets any other failure of the table through as it is', async () => {
    const failure = new Error('table unavailable');
    class FailingRepository extends InMemoryPaymentRepository {
      override async list(): Promise<PaymentPage> {
        throw failure;
      }
    }
    await expect(new ListPayments(new FailingRepository()).execute({ userId: 'alice', limit: 5 })).rejects.toBe(failure);
  });
});
