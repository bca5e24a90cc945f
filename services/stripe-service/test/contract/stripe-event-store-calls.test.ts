import { DynamoStripeEventStore } from '../../src/adapters/dynamodb/dynamo-stripe-event-store';
import { DYNAMO_EMULATORS, withTable } from './dynamo-backends';

// What the DynamoDB store costs a worker's batch in calls: the marks of its records, made together
// from what each record's read found, are one BatchWriteItem; a mark without a read is the upsert.

const TABLE = 'calls-webhook-idempotency';

for (const emulator of DYNAMO_EMULATORS) {
  describe(`DynamoStripeEventStore on ${emulator.name}: the calls a worker's batch makes`, () => {
    const sent: string[] = [];
    let under: { subject: DynamoStripeEventStore; teardown: () => Promise<void> } | undefined;
    beforeAll(async () => {
      under = await withTable(emulator.start, 'webhook_idempotency', TABLE, (client) => {
        client.middlewareStack.add(
          (next, context) => (args) => {
            sent.push(context.commandName ?? '');
            return next(args);
          },
          { step: 'initialize', name: 'recordCommands' },
        );
        return new DynamoStripeEventStore(client, TABLE);
      })();
    }, 60_000);
    afterAll(async () => under?.teardown());

    it('writes the marks made together from their reads as one BatchWriteItem, and a mark without a read as one UpdateItem', async () => {
      const store = under!.subject;
      const ids = Array.from({ length: 10 }, (_, i) => `evt_calls_${i}`);
      await Promise.all(ids.map((id) => store.recordReceipt({ eventId: id, type: 'charge.refunded', nowMs: 1_000, ttlSeconds: 60 })));
      const reads = await Promise.all(ids.map((id) => store.get(id)));
      sent.length = 0;
      await Promise.all(ids.map((id, i) => store.markProcessed(id, 2_000, 60, { record: reads[i] })));
      expect(sent).toEqual(['BatchWriteItemCommand']);
      await store.markProcessed('evt_calls_replayed', 3_000, 60);
      expect(sent).toEqual(['BatchWriteItemCommand', 'UpdateItemCommand']);
      const after = await Promise.all([...ids, 'evt_calls_replayed'].map((id) => store.get(id)));
      expect(after.map((r) => [r?.status, r?.type, r?.receivedAt, r?.processedAt])).toEqual([...ids.map(() => ['processed', 'charge.refunded', 1_000, 2_000]), ['processed', '', 3_000, 3_000]]);
    });
  });
}
