import { randomUUID } from 'node:crypto';
import type { BillingEvent, PaymentBillingEvent } from '@shared/events/billing-event';
import type { BillingEventPublisher } from '../../src/application/ports/billing-event-publisher';
import type { ReceivedBillingEvent } from '../support/billing-topic';

export function samplePaymentEvent(userId: string, overrides: Partial<Pick<PaymentBillingEvent, 'type' | 'id'>> = {}): PaymentBillingEvent {
  const evt = `evt_${randomUUID().replaceAll('-', '')}`;
  return {
    id: `bevt_${evt}`, type: 'payment.successful', version: 1, occurredAt: '2026-01-01T00:00:00.000Z', userId, stripeCustomerId: 'cus_x', livemode: false,
    source: { stripeEventId: evt, stripeEventType: 'payment_intent.succeeded' },
    data: {
      paymentId: 'pay_01', paymentIntentId: 'pi_1', status: 'succeeded', amount: 2000, currency: 'usd', amountCapturable: 0, amountReceived: 2000, amountRefunded: 0,
      captureMethod: 'automatic', description: 'Ünïcode ✓ "quoted"', failure: null, refund: null, dispute: null, cancellationReason: null, metadata: { orderId: '42' },
    },
    ...overrides,
  };
}

export interface PublisherUnderTest {
  subject: BillingEventPublisher;
  /** What a subscriber of everything received, once `count` events arrived (fails the test after a while otherwise). */
  receive(count: number): Promise<ReceivedBillingEvent[]>;
  /** Makes the topic refuse the publishes of this event (as SNS refuses one entry of a request). */
  refuse(eventId: string): void;
  teardown(): Promise<void>;
}

/** The behaviour every BillingEventPublisher must have; run against each adapter, read back as a subscriber would. */
export function billingEventPublisherContract(name: string, setup: () => Promise<PublisherUnderTest>) {
  describe(`BillingEventPublisher contract: ${name}`, () => {
    let under: PublisherUnderTest;
    beforeAll(async () => {
      under = await setup();
    }, 60_000);
    afterAll(async () => under?.teardown());

    it('delivers the event as it was, with type and userId as message attributes', async () => {
      const event = samplePaymentEvent('user-ü-1');
      await under.subject.publish(event);
      const [received] = await under.receive(1);
      expect(received?.event).toEqual(event);
      expect(received?.attributes).toEqual({ type: 'payment.successful', userId: 'user-ü-1' });
    });

    it('delivers every event of a burst, a republished one with its same id', async () => {
      const events: BillingEvent[] = Array.from({ length: 12 }, (_, i) => samplePaymentEvent(`user-${i}`, { type: i % 2 === 0 ? 'payment.successful' : 'payment.refunded' }));
      await Promise.all(events.map((e) => under.subject.publish(e)));
      await under.subject.publish(events[0]!);
      const received = await under.receive(13);
      const ids = received.map((r) => r.event.id).sort();
      expect(ids).toEqual([...events.map((e) => e.id), events[0]!.id].sort());
      for (const r of received) expect(r.attributes).toEqual({ type: r.event.type, userId: r.event.userId });
    });

    it('delivers an event published twice at once twice, with its same id', async () => {
      const event = samplePaymentEvent('user-twice');
      await Promise.all([under.subject.publish(event), under.subject.publish(event), under.subject.publish(samplePaymentEvent('user-other'))]);
      const received = await under.receive(3);
      expect(received.filter((r) => r.event.id === event.id).map((r) => r.event)).toEqual([event, event]);
    });

    it('fails only the publish the topic refused; the others published with it are delivered', async () => {
      const events = Array.from({ length: 6 }, (_, i) => samplePaymentEvent(`user-r${i}`));
      under.refuse(events[2]!.id);
      const outcomes = await Promise.allSettled(events.map((e) => under.subject.publish(e)));
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
      const received = await under.receive(5);
      expect(received.map((r) => r.event.id).sort()).toEqual(events.filter((_, i) => i !== 2).map((e) => e.id).sort());
    });
  });
}
