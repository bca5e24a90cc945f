import type { PaymentStatus } from '../../domain/payment';
import { InvalidCursorError, type PaymentRepository } from '../ports/payment-repository';
import { InvalidPaymentRequestError } from './payment-errors';
import { paymentView, type PaymentView } from './payment-view';

/** The caller's payments, newest first, a page at a time. */
export class ListPayments {
  constructor(private readonly payments: PaymentRepository) {}

  async execute(input: { userId: string; limit: number; cursor?: string; status?: PaymentStatus }): Promise<{ payments: PaymentView[]; nextCursor: string | null }> {
    try {
      const page = await this.payments.list(input.userId, {
        limit: input.limit,
        ...(input.cursor ? { cursor: input.cursor } : {}),
        ...(input.status ? { status: input.status } : {}),
      });
      return { payments: page.payments.map(paymentView), nextCursor: page.nextCursor ?? null };
    } catch (error) {
      if (error instanceof InvalidCursorError) throw new InvalidPaymentRequestError('cursor', 'is not a cursor from a previous page of this list', 'invalid_cursor');
      throw error;
    }
  }
}
