import type { Payment } from '../../src/domain/payment';
import { eventsWorkerHarness } from './events-worker-harness';
import { samplePayment } from './sample-payment';

/** An events worker on its fakes holding one paid payment of 2000 made through the API: what refunds happen to. */
export async function withPaidPayment(overrides: Partial<Payment> = {}) {
  const h = await eventsWorkerHarness();
  const payment = samplePayment(h.userId, { stripeCustomerId: h.stripeCustomerId, amount: 2000, amountReceived: 2000, status: 'succeeded', intentStatus: 'succeeded', ...overrides });
  await h.payments.create(payment);
  return { ...h, payment, intentId: payment.stripePaymentIntentId, stored: async () => (await h.payments.get(h.userId, payment.paymentId))! };
}
