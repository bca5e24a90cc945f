import { applySnapshot, type Payment } from '../../domain/payment';
import type { Clock } from '../ports/clock';
import type { PaymentMetrics } from '../ports/payment-metrics';
import type { GatewayPaymentIntent, PaymentIntentGateway } from '../ports/payment-intent-gateway';
import type { PaymentRepository } from '../ports/payment-repository';
import { PaymentNotFoundError } from './payment-errors';

/**
 * What the payment use cases share: finding the caller's payment by either id, and storing what
 * Stripe answered without losing a concurrent writer's change.
 */
export class PaymentRecords {
  constructor(
    private readonly payments: PaymentRepository,
    private readonly intents: PaymentIntentGateway,
    private readonly clock: Clock,
    private readonly metrics: PaymentMetrics,
  ) {}

  /**
   * The caller's payment by our id (`pay_…`) or Stripe's (`pi_…`); 404 for anything else, another
   * user's included. The intent index is eventually consistent, so a just-created payment missing
   * from it is found through the intent's own metadata, which names its user and payment.
   */
  async load(userId: string, id: string): Promise<Payment> {
    let payment: Payment | undefined;
    if (id.startsWith('pay_')) {
      payment = await this.payments.get(userId, id);
    } else if (id.startsWith('pi_')) {
      const indexed = await this.payments.findByPaymentIntentId(id);
      if (indexed) {
        payment = indexed.userId === userId ? await this.payments.get(userId, indexed.paymentId) : undefined;
      } else {
        const intent = await this.intents.retrievePaymentIntent(id);
        const paymentId = intent?.metadata.paymentId;
        if (intent?.metadata.userId === userId && paymentId) payment = await this.payments.get(userId, paymentId);
      }
    }
    if (!payment || payment.userId !== userId) throw new PaymentNotFoundError();
    return payment;
  }

  /** Reads the intent from Stripe and stores what changed. */
  async refresh(payment: Payment): Promise<Payment> {
    const intent = await this.intents.retrievePaymentIntent(payment.stripePaymentIntentId);
    if (!intent) return payment;
    return this.applyIntent(payment, intent);
  }

  /**
   * Stores Stripe's answer on the record. A concurrent writer (another request, later a webhook) may
   * have saved first: then the record is read again and the answer applied to that, so neither is lost.
   */
  async applyIntent(payment: Payment, intent: GatewayPaymentIntent): Promise<Payment> {
    return this.mutate(payment, (current) => applySnapshot(current, intent, this.observedAt(current), this.nowIso()));
  }

  async mutate(payment: Payment, change: (current: Payment) => Payment): Promise<Payment> {
    let current = payment;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const next = change(current);
      if (next === current) return current;
      if (await this.payments.update({ ...next, version: current.version + 1 }, current.version)) {
        this.count(current, next);
        return { ...next, version: current.version + 1 };
      }
      const reread = await this.payments.get(current.userId, current.paymentId);
      if (!reread) throw new PaymentNotFoundError();
      current = reread;
    }
    throw new Error(`payment ${payment.paymentId} kept changing under five attempts to update it`);
  }

  /** Counts a payment's outcome once: on the write that moved it there, whoever made it. */
  count(before: Payment | undefined, after: Payment): void {
    if (after.intentStatus === 'succeeded' && before?.intentStatus !== 'succeeded') this.metrics.successfulPayment(after.currency, after.amountReceived);
    if (after.intentStatus === 'failed' && before?.intentStatus !== 'failed') this.metrics.failedPayment();
  }

  nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }

  /** A read made now is at least as new as anything applied before it. */
  private observedAt(current: Payment): number {
    return Math.max(current.stripeUpdatedAt, Math.floor(this.clock.now() / 1000));
  }
}
