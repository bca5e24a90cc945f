import { PaymentRecords } from '../../../src/application/payments/payment-records';
import type { PaymentIntentGateway } from '../../../src/application/ports/payment-intent-gateway';
import type { PaymentMetrics } from '../../../src/application/ports/payment-metrics';
import { EmfPaymentMetrics } from '../../../src/adapters/telemetry/emf-payment-metrics';
import { InMemoryPaymentRepository } from '../../fakes/in-memory-payment-repository';
import { emfDocument } from '../../support/emf-document';
import { ManualClock } from '../../support/manual-clock';
import { samplePayment } from '../../support/sample-payment';

function recording() {
  const seen: string[] = [];
  const metrics: PaymentMetrics = {
    invalidPaymentRequest: () => seen.push('invalid'),
    successfulPayment: (currency, amount) => seen.push(`success ${amount} ${currency}`),
    failedPayment: () => seen.push('failed'),
    stripeCall: (_ms, ok) => seen.push(`stripe ${ok}`),
  };
  return { metrics, seen };
}

describe('payment outcome metrics', () => {
  it('counts a success and a failure once, on the write that made them, however often the state is written again', async () => {
    const repository = new InMemoryPaymentRepository();
    const { metrics, seen } = recording();
    const records = new PaymentRecords(repository, {} as PaymentIntentGateway, new ManualClock(), metrics);
    const pending = (await repository.create(samplePayment('u'))).payment;
    const failed = await records.mutate(pending, (p) => ({ ...p, intentStatus: 'failed', status: 'failed' }));
    await records.mutate(failed, (p) => ({ ...p, description: 'still failed' }));
    const paid = await records.mutate(failed, (p) => ({ ...p, intentStatus: 'succeeded', status: 'succeeded', amountReceived: 1000 }));
    await records.mutate(paid, (p) => ({ ...p, status: 'partially_refunded', amountRefunded: 10 }));
    expect(seen).toEqual(['failed', 'success 1000 usd']);
  });
});

describe('EmfPaymentMetrics', () => {
  it('writes the metrics under their names as CloudWatch embedded metrics', async () => {
    const document = await emfDocument((metrics) => {
      const emf = new EmfPaymentMetrics(metrics);
      emf.invalidPaymentRequest();
      emf.successfulPayment('usd', 100);
      emf.failedPayment();
      emf.stripeCall(42, false);
    });
    expect(document).toMatchObject({ InvalidPaymentRequest: 1, SuccessfulPayment: 1, FailedPayment: 1, StripeLatency: 42, StripeError: 1 });
  });
});
