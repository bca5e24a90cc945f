import { randomUUID } from 'node:crypto';
import { CreateTopicCommand, SNSClient, SubscribeCommand, type PublishBatchCommandInput } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs, startMoto, TEST_CREDENTIALS, TEST_REGION, type Emulator } from '../../scripts/testing/emulators';
import { CoalescedPublish, PublishBatchEntryError, type SnsMessage } from '../src/sns/coalesced-publish';

// Messages published together go out as PublishBatch requests within its limits, each caller
// answered by its own entry; read back through a subscribed queue (raw delivery), on both SNS
// emulators the contract suites use.

describe.each([
  ['fauxqs', startFauxqs],
  ['moto', startMoto],
])('CoalescedPublish on %s', (_name, start: () => Promise<Emulator>) => {
  let emulator: Emulator;
  let sns: SNSClient;
  let sqs: SQSClient;
  const sent: { command: string; entries: number }[] = [];
  /** Entry indexes of the next PublishBatch to make too long, so that SNS itself refuses those entries alone. */
  let spoil: number[] = [];

  beforeAll(async () => {
    emulator = await start();
    const config = { region: TEST_REGION, endpoint: emulator.endpoint, credentials: TEST_CREDENTIALS };
    sns = new SNSClient(config);
    sqs = new SQSClient(config);
    sns.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as Partial<PublishBatchCommandInput>;
        sent.push({ command: context.commandName ?? '', entries: input.PublishBatchRequestEntries?.length ?? 1 });
        if (context.commandName === 'PublishBatchCommand' && spoil.length > 0) {
          const entries = input.PublishBatchRequestEntries ?? [];
          input.PublishBatchRequestEntries = entries.map((entry, i) => (spoil.includes(i) ? { ...entry, Message: 'x'.repeat(300 * 1024) } : entry));
          spoil = [];
        }
        return next(args);
      },
      { step: 'initialize', name: 'recordCommands' },
    );
  }, 60_000);
  afterAll(async () => {
    sns?.destroy();
    sqs?.destroy();
    await emulator?.stop();
  });

  /** A new topic with a raw-delivery queue subscribed; `sent` emptied after the set-up. */
  async function topic(): Promise<{ arn: string; receive(count: number): Promise<{ body: string; attributes: Record<string, string> }[]> }> {
    const arn = (await sns.send(new CreateTopicCommand({ Name: `coalesced-${randomUUID().slice(0, 8)}` }))).TopicArn!;
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: `coalesced-${randomUUID().slice(0, 8)}` }))).QueueUrl!;
    const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    await sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: queueArn, Attributes: { RawMessageDelivery: 'true' } }));
    sent.length = 0;
    return {
      arn,
      receive: async (count) => {
        const received: { body: string; attributes: Record<string, string> }[] = [];
        // Until the count arrived, then one more poll so that an extra message shows too.
        for (let polls = 0, extra = 0; polls < 30 && extra < 1; polls += 1) {
          if (received.length >= count) extra += 1;
          const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }));
          for (const m of Messages) received.push({ body: m.Body ?? '', attributes: Object.fromEntries(Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? ''])) });
          if (Messages.length > 0) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
        }
        return received;
      },
    };
  }

  const message = (body: string, type = 'payment.successful'): SnsMessage => ({
    Message: body,
    MessageAttributes: { type: { DataType: 'String', StringValue: type }, userId: { DataType: 'String', StringValue: `user-${body.slice(0, 8)}` } },
  });

  it('sends messages started together as one PublishBatch, each answered with its message id and delivered with its attributes', async () => {
    const t = await topic();
    const publisher = CoalescedPublish.for(sns);
    const ids = await Promise.all(Array.from({ length: 7 }, (_, i) => publisher.publish(t.arn, message(`m${i}`, i % 2 ? 'payment.refunded' : 'payment.successful'))));
    expect(sent).toEqual([{ command: 'PublishBatchCommand', entries: 7 }]);
    expect(new Set(ids).size).toBe(7);
    for (const id of ids) expect(id).toEqual(expect.any(String));
    const received = await t.receive(7);
    expect(received.map((r) => r.body).sort()).toEqual(Array.from({ length: 7 }, (_, i) => `m${i}`));
    for (const r of received) expect(r.attributes).toEqual({ type: Number(r.body.slice(1)) % 2 ? 'payment.refunded' : 'payment.successful', userId: `user-${r.body}` });
  });

  it('publishes a message alone with Publish', async () => {
    const t = await topic();
    await CoalescedPublish.for(sns).publish(t.arn, message('alone'));
    expect(sent).toEqual([{ command: 'PublishCommand', entries: 1 }]);
    expect((await t.receive(1)).map((r) => r.body)).toEqual(['alone']);
  });

  it('splits more than ten messages into requests of at most ten', async () => {
    const t = await topic();
    const publisher = CoalescedPublish.for(sns);
    await Promise.all(Array.from({ length: 25 }, (_, i) => publisher.publish(t.arn, message(`n${i}`))));
    expect(sent).toEqual([
      { command: 'PublishBatchCommand', entries: 10 },
      { command: 'PublishBatchCommand', entries: 10 },
      { command: 'PublishBatchCommand', entries: 5 },
    ]);
    expect((await t.receive(25)).map((r) => r.body).sort()).toEqual(Array.from({ length: 25 }, (_, i) => `n${i}`).sort());
  });

  it('keeps each request within 256 KiB of messages and attributes, a message too big to share one going alone', async () => {
    const t = await topic();
    const publisher = CoalescedPublish.for(sns);
    const big = (c: string) => c.repeat(100 * 1024);
    await Promise.all([publisher.publish(t.arn, message(big('a'))), publisher.publish(t.arn, message(big('b'))), publisher.publish(t.arn, message(big('c')))]);
    expect(sent).toEqual([
      { command: 'PublishBatchCommand', entries: 2 },
      { command: 'PublishCommand', entries: 1 },
    ]);
    expect((await t.receive(3)).map((r) => r.body[0]).sort()).toEqual(['a', 'b', 'c']);
  });

  it('sends the same message twice in one request under ids of its own, and both are delivered', async () => {
    const t = await topic();
    const publisher = CoalescedPublish.for(sns);
    const [first, second] = await Promise.all([publisher.publish(t.arn, message('twice')), publisher.publish(t.arn, message('twice'))]);
    expect(sent).toEqual([{ command: 'PublishBatchCommand', entries: 2 }]);
    expect(first).not.toEqual(second);
    expect((await t.receive(2)).map((r) => r.body)).toEqual(['twice', 'twice']);
  });

  it('fails only the callers of the entries SNS refused; the others are published', async () => {
    const t = await topic();
    const publisher = CoalescedPublish.for(sns);
    spoil = [1, 3];
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => publisher.publish(t.arn, message(`p${i}`))));
    expect(sent).toEqual([{ command: 'PublishBatchCommand', entries: 5 }]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
    for (const refused of [outcomes[1], outcomes[3]] as PromiseRejectedResult[]) {
      expect(refused.reason).toBeInstanceOf(PublishBatchEntryError);
      expect(refused.reason).toMatchObject({ code: 'InvalidParameter', senderFault: true });
    }
    expect((await t.receive(3)).map((r) => r.body).sort()).toEqual(['p0', 'p2', 'p4']);
  });

  it('fails every caller of a request that fails, and publishes to each topic apart', async () => {
    const t = await topic();
    const publisher = CoalescedPublish.for(sns);
    const missing = t.arn.replace(/[^:]+$/, 'coalesced-no-such-topic');
    const outcomes = await Promise.allSettled([publisher.publish(t.arn, message('kept')), publisher.publish(missing, message('lost-1')), publisher.publish(missing, message('lost-2'))]);
    expect(sent.map((s) => s.command).sort()).toEqual(['PublishBatchCommand', 'PublishCommand']);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ name: 'NotFoundException' });
    expect((await t.receive(1)).map((r) => r.body)).toEqual(['kept']);
  });
});
