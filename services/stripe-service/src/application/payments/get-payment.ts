import type { PaymentRecords } from './payment-records';
import { paymentView, type PaymentView } from './payment-view';

/** One of the caller's payments, brought up to date with Stripe. */
export class GetPayment {
  constructor(private readonly records: PaymentRecords) {}

  async execute(input: { userId: string; id: string }): Promise<PaymentView> {
    const payment = await this.records.load(input.userId, input.id);
    return paymentView(await this.records.refresh(payment));
  }
}
