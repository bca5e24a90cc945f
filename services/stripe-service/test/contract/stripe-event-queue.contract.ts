import { randomUUID } from 'node:crypto';
import type { StripeEventMessage, StripeEventQueue } from '../../src/application/ports/stripe-event-queue';

export interface QueueUnderTest {
  subject: StripeEventQueue;
  /** Waits for `count` messages on the queue and returns what a consumer would read, in any order. */
  receive(count: number): Promise<StripeEventMessage[]>;
  teardown: () => Promise<void>;
}

/** The behaviour every StripeEventQueue must have; run against each adapter. */
export function stripeEventQueueContract(name: string, setup: () => Promise<QueueUnderTest>) {
  describe(`StripeEventQueue contract: ${name}`, () => {
    let queue: QueueUnderTest | undefined;
    beforeAll(async () => {
      queue = await setup();
    }, 60_000);
    afterAll(async () => queue?.teardown());
    const under = () => {
      if (!queue) throw new Error('the queue did not start');
      return queue;
    };

    const message = (overrides: Partial<StripeEventMessage> = {}): StripeEventMessage => {
      const eventId = `evt_${randomUUID()}`;
      return {
        eventId,
        type: 'payment_intent.succeeded',
        created: 1_767_225_600,
        livemode: false,
        payload: { id: eventId, object: 'event', data: { object: { id: 'pi_1', amount: 2000, metadata: { note: 'café ☕ "quoted" \\ back\nslash' } } } },
        ...overrides,
      };
    };

    it('delivers what was enqueued, payload and all, exactly as given', async () => {
      const sent = message();
      await under().subject.enqueue(sent);
      expect(await under().receive(1)).toEqual([sent]);
    });

    it('delivers each of several messages once', async () => {
      const sent = [message({ type: 'charge.refunded' }), message({ livemode: true }), message({ payload: { nested: [1, null, 'x'] } })];
      await Promise.all(sent.map((m) => under().subject.enqueue(m)));
      const got = await under().receive(3);
      expect(got.map((m) => m.eventId).sort()).toEqual(sent.map((m) => m.eventId).sort());
      expect(got).toEqual(expect.arrayContaining(sent));
    });
  });
}
