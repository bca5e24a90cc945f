import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SnsBillingEventPublisher } from '../../src/adapters/sns/sns-billing-event-publisher';
import { startFauxqs, startMoto, TEST_CREDENTIALS, TEST_REGION, type Emulator } from '../../../../scripts/testing/emulators';
import { InMemoryBillingEventPublisher } from '../fakes/in-memory-billing-event-publisher';
import { receiveBillingEvents, subscribeQueue } from '../support/billing-topic';
import { billingEventPublisherContract, samplePaymentEvent, type PublisherUnderTest } from './billing-event-publisher.contract';

billingEventPublisherContract('in-memory', async () => {
  const publisher = new InMemoryBillingEventPublisher();
  return {
    subject: publisher,
    receive: async (count) => {
      expect(publisher.published).toHaveLength(count);
      return publisher.published.splice(0, count);
    },
    refuse: (eventId) => publisher.refused.add(eventId),
    teardown: async () => {},
  };
});

const SNS_EMULATORS: { name: string; start: () => Promise<Emulator> }[] = [
  { name: 'fauxqs', start: startFauxqs },
  { name: 'moto', start: startMoto },
];

async function topicOn(emulator: Emulator) {
  const config = { region: TEST_REGION, endpoint: emulator.endpoint, credentials: TEST_CREDENTIALS };
  const sns = new SNSClient(config);
  const sqs = new SQSClient(config);
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: `billing-events-${Date.now()}` }))).TopicArn!;
  return { sns, sqs, topicArn, close: () => (sns.destroy(), sqs.destroy()) };
}

for (const emulator of SNS_EMULATORS) {
  billingEventPublisherContract(`SNS on ${emulator.name}, read through a subscribed SQS queue`, async (): Promise<PublisherUnderTest> => {
    const started = await emulator.start();
    try {
      const topic = await topicOn(started);
      const url = await subscribeQueue(topic.sns, topic.sqs, topic.topicArn);
      const refused = new Set<string>();
      // SNS itself refuses the message: made longer than its 256 KiB limit on the way out.
      topic.sns.middlewareStack.add(
        (next) => async (args) => {
          const input = args.input as { Message?: string; PublishBatchRequestEntries?: { Message?: string }[] };
          const spoil = <T extends { Message?: string }>(entry: T): T => ([...refused].some((id) => entry.Message?.includes(`"id":"${id}"`)) ? { ...entry, Message: 'x'.repeat(300 * 1024) } : entry);
          if (input.PublishBatchRequestEntries) input.PublishBatchRequestEntries = input.PublishBatchRequestEntries.map(spoil);
          else if (input.Message !== undefined) Object.assign(input, spoil(input));
          return next(args);
        },
        { step: 'initialize', name: 'refuseMarkedEvents' },
      );
      return {
        subject: new SnsBillingEventPublisher(topic.sns, topic.topicArn),
        receive: async (count) => {
          const received = await receiveBillingEvents(topic.sqs, url, { until: (r) => r.length >= count, settleMs: 500 });
          expect(received).toHaveLength(count);
          return received;
        },
        refuse: (eventId) => refused.add(eventId),
        teardown: async () => {
          topic.close();
          await started.stop();
        },
      };
    } catch (error) {
      await started.stop();
      throw error;
    }
  });

  describe(`SnsBillingEventPublisher on ${emulator.name}: the attributes serve filter policies`, () => {
    let started: Emulator | undefined;
    afterAll(async () => started?.stop());

    it('reaches a subscription filtered on type only with the types it names, as the notifications queue is subscribed', async () => {
      started ??= await emulator.start();
      const topic = await topicOn(started);
      try {
        const refunds = await subscribeQueue(topic.sns, topic.sqs, topic.topicArn, { filterPolicy: { type: ['payment.refunded', 'payment.failed'] } });
        const publisher = new SnsBillingEventPublisher(topic.sns, topic.topicArn);
        const wanted = samplePaymentEvent('user-f', { type: 'payment.refunded' });
        await publisher.publish(samplePaymentEvent('user-f'));
        await publisher.publish(wanted);
        await publisher.publish(samplePaymentEvent('user-f', { type: 'payment.disputed' }));
        const received = await receiveBillingEvents(topic.sqs, refunds, { until: (r) => r.length >= 1, settleMs: 1500 });
        expect(received.map((r) => r.event.id)).toEqual([wanted.id]);
      } finally {
        topic.close();
      }
    }, 30_000);

    it('sends the events published together as one PublishBatch, which a filtered subscription sees as it saw them one by one', async () => {
      started ??= await emulator.start();
      const topic = await topicOn(started);
      try {
        const refunds = await subscribeQueue(topic.sns, topic.sqs, topic.topicArn, { filterPolicy: { type: ['payment.refunded'] } });
        const sent: string[] = [];
        topic.sns.middlewareStack.add(
          (next, context) => (args) => {
            sent.push(context.commandName ?? '');
            return next(args);
          },
          { step: 'initialize', name: 'recordCommands' },
        );
        const publisher = new SnsBillingEventPublisher(topic.sns, topic.topicArn);
        const events = Array.from({ length: 10 }, (_, i) => samplePaymentEvent(`user-b${i}`, { type: i < 4 ? 'payment.refunded' : 'payment.successful' }));
        await Promise.all(events.map((e) => publisher.publish(e)));
        expect(sent).toEqual(['PublishBatchCommand']);
        const received = await receiveBillingEvents(topic.sqs, refunds, { until: (r) => r.length >= 4, settleMs: 1500 });
        expect(received.map((r) => r.event).sort((a, b) => a.id.localeCompare(b.id))).toEqual(events.slice(0, 4).sort((a, b) => a.id.localeCompare(b.id)));
        for (const r of received) expect(r.attributes).toEqual({ type: 'payment.refunded', userId: r.event.userId });
      } finally {
        topic.close();
      }
    }, 30_000);
  });
}
