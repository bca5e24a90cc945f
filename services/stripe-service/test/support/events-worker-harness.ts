import type { EventMetrics } from '../../src/application/ports/event-metrics';
import type { PaymentMetrics } from '../../src/application/ports/payment-metrics';
import { ProcessStripeEvent } from '../../src/application/webhooks/process-stripe-event';
import { StripeEventTranslator } from '../../src/adapters/stripe/stripe-event-translator';
import { InMemoryBillingEventPublisher } from '../fakes/in-memory-billing-event-publisher';
import { InMemoryCustomerRepository } from '../fakes/in-memory-customer-repository';
import { InMemoryPaymentRepository } from '../fakes/in-memory-payment-repository';
import { InMemoryStripeEventStore } from '../fakes/in-memory-stripe-event-store';
import { InMemorySubscriptionRepository } from '../fakes/in-memory-subscription-repository';
import type { BillingEvent } from '@shared/events/billing-event';
import { expectPublishedEventsMatchSchemas } from './billing-event-schemas';
import { ManualClock } from './manual-clock';

/** The in-memory topic, refusing (failing the test) any event that does not validate against its published JSON Schema. */
class SchemaCheckedPublisher extends InMemoryBillingEventPublisher {
  override async publish(event: BillingEvent): Promise<void> {
    expectPublishedEventsMatchSchemas([event]);
    await super.publish(event);
  }
}

export interface CountingEventMetrics extends EventMetrics {
  counts: Record<string, number>;
  /** Billing events counted as published, in-order or stale. */
  published: number;
}

export function countingEventMetrics(): CountingEventMetrics {
  const counts: Record<string, number> = {};
  const add = (name: string) => {
    counts[name] = (counts[name] ?? 0) + 1;
  };
  const metrics: CountingEventMetrics = {
    counts,
    published: 0,
    processed: (_type, published) => {
      add('processed');
      metrics.published += published;
    },
    duplicate: () => add('duplicate'),
    outOfOrder: (_type, published) => {
      add('outOfOrder');
      metrics.published += published;
    },
    unknownType: () => add('unknownType'),
    failed: (permanent) => add(permanent ? 'failedPermanent' : 'failedTransient'),
  };
  return metrics;
}

/** The events worker's use case on fakes held to their ports' contracts, with one active customer. */
export async function eventsWorkerHarness(options: { userId?: string; stripeCustomerId?: string } = {}) {
  const userId = options.userId ?? 'user-1';
  const stripeCustomerId = options.stripeCustomerId ?? 'cus_test';
  const clock = new ManualClock(Date.parse('2026-01-01T00:10:00Z'));
  const store = new InMemoryStripeEventStore();
  const payments = new InMemoryPaymentRepository();
  const subscriptions = new InMemorySubscriptionRepository();
  const customers = new InMemoryCustomerRepository();
  const publisher = new SchemaCheckedPublisher();
  const metrics = countingEventMetrics();
  const paymentCounts = { successful: 0, failed: 0 };
  const paymentMetrics: PaymentMetrics = {
    invalidPaymentRequest: () => undefined,
    successfulPayment: () => {
      paymentCounts.successful += 1;
    },
    failedPayment: () => {
      paymentCounts.failed += 1;
    },
    stripeCall: () => undefined,
  };
  await customers.insertIfAbsent({ userId, email: undefined, role: 'user', status: 'creating', stripeCustomerId: undefined, leaseExpiresAt: 1, createdAt: 'x', updatedAt: 'x' });
  await customers.complete(userId, stripeCustomerId, undefined, 'x');
  const useCase = new ProcessStripeEvent(store, new StripeEventTranslator(), payments, subscriptions, customers, publisher, metrics, paymentMetrics, clock);
  return { userId, stripeCustomerId, clock, store, payments, subscriptions, customers, publisher, metrics, paymentCounts, useCase };
}
