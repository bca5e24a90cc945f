import { randomUUID } from 'node:crypto';
import { DomainError } from '@shared/errors/domain-error';
import { GetOrCreateCustomer } from '../../../src/application/customers/get-or-create-customer';
import { CancelPaymentIntent } from '../../../src/application/payments/cancel-payment-intent';
import { CapturePaymentIntent } from '../../../src/application/payments/capture-payment-intent';
import { ConfirmPaymentIntent } from '../../../src/application/payments/confirm-payment-intent';
import { CreatePaymentIntent, type CreatePaymentIntentInput } from '../../../src/application/payments/create-payment-intent';
import { GetPayment } from '../../../src/application/payments/get-payment';
import { ListPayments } from '../../../src/application/payments/list-payments';
import { PaymentRecords } from '../../../src/application/payments/payment-records';
import { RefundPayment } from '../../../src/application/payments/refund-payment';
import type { PaymentMetrics } from '../../../src/application/ports/payment-metrics';
import type { Payment } from '../../../src/domain/payment';
import { stripeGateways } from '../../contract/stripe-gateways';
import { InMemoryCustomerRepository } from '../../fakes/in-memory-customer-repository';
import { InMemoryPaymentRepository } from '../../fakes/in-memory-payment-repository';
import { ManualClock } from '../../support/manual-clock';
import type { StripeSimulator } from '../../../../../scripts/stripe-simulator/index';

/** The outcome metrics as they are reported, in order; Stripe call timings are left out (they are the adapter's). */
export function recordingMetrics() {
  const seen: string[] = [];
  const metrics: PaymentMetrics = {
    invalidPaymentRequest: () => seen.push('invalid'),
    successfulPayment: (currency, amount) => seen.push(`success ${amount} ${currency}`),
    failedPayment: () => seen.push('failed'),
    stripeCall: () => undefined,
  };
  return { metrics, seen };
}

/**
 * The payment use cases wired as the payments composition root wires them, on the real Stripe
 * adapters against a Stripe simulator, the in-memory repositories and a manual clock. Each call
 * is a new user with empty repositories; the simulator is shared by a file's tests.
 */
export function paymentsWorld(simulatorUrl: string) {
  const stripe = stripeGateways('sk_test_payments_unit', simulatorUrl);
  const clock = new ManualClock();
  const payments = new InMemoryPaymentRepository();
  const customerRecords = new InMemoryCustomerRepository();
  const customers = new GetOrCreateCustomer(customerRecords, stripe.customers, clock);
  const { metrics, seen } = recordingMetrics();
  const records = new PaymentRecords(payments, stripe.intents, clock, metrics);
  const userId = `user-${randomUUID()}`;
  const world = {
    stripe,
    clock,
    payments,
    records,
    metrics: seen,
    userId,
    createPayment: new CreatePaymentIntent(customers, stripe.intents, payments, records, clock),
    confirmPayment: new ConfirmPaymentIntent(stripe.intents, records),
    capturePayment: new CapturePaymentIntent(stripe.intents, records),
    cancelPayment: new CancelPaymentIntent(stripe.intents, records),
    refundPayment: new RefundPayment(stripe.refunds, records),
    getPayment: new GetPayment(records),
    listPayments: new ListPayments(payments),
    /** The clock as the records write it. */
    now: () => new Date(clock.now()).toISOString(),
    /** The caller's Stripe customer, once a payment has created it. */
    customerId: async () => {
      const record = await customerRecords.get(userId);
      if (!record?.stripeCustomerId) throw new Error(`${userId} has no Stripe customer yet`);
      return record.stripeCustomerId;
    },
    stored: async (paymentId: string): Promise<Payment> => {
      const payment = await payments.get(userId, paymentId);
      if (!payment) throw new Error(`no payment ${paymentId}`);
      return payment;
    },
    /** A payment of the caller, created through the use case under a fresh operation id. */
    create: (overrides: Partial<CreatePaymentIntentInput> = {}) =>
      world.createPayment.execute({ userId, email: undefined, role: 'user', amount: 2000, currency: 'usd', captureMethod: 'automatic', operationId: randomUUID(), ...overrides }),
    /** A payment confirmed with a card, through the use case. */
    paid: async (overrides: Partial<CreatePaymentIntentInput> = {}, paymentMethod = 'pm_card_visa') => {
      const created = await world.create(overrides);
      await world.confirmPayment.execute({ userId, id: created.paymentId, paymentMethod, operationId: randomUUID() });
      return created;
    },
  };
  return world;
}

export type PaymentsWorld = ReturnType<typeof paymentsWorld>;

/** What a caller learns of a refused operation: the error's class, kind, code, text and details. */
export async function refusal(operation: Promise<unknown>) {
  let outcome: unknown;
  try {
    await operation;
  } catch (error) {
    outcome = error;
  }
  if (!(outcome instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(outcome)}`);
  return { name: outcome.name, kind: outcome.kind, code: outcome.code, message: outcome.message, details: outcome.details };
}

/** A refusal of a payment's state as `refusal` reports it. */
export const stateError = (code: string, message: string, details: Record<string, unknown>) => ({ name: 'PaymentStateError', kind: 'conflict', code, message, details });

/**
 * Runs `operation` with the next POST to `path` set to fail as Stripe's outage, and checks that it was
 * never sent: a refusal that cannot be this operation's own capture or refund answers without Stripe.
 */
export async function notSentToStripe<T>(simulator: StripeSimulator, path: string, operation: () => Promise<T>): Promise<T> {
  const fault = simulator.faults.inject({ kind: 'server_error', method: 'POST', path, count: 1 });
  try {
    return await operation();
  } finally {
    const untouched = simulator.faults.list().some((f) => f.id === fault);
    simulator.faults.remove(fault);
    expect(untouched).toBe(true);
  }
}
