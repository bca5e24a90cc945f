import { PutItemCommand, type AttributeValue, type BatchGetItemCommandOutput, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadResources } from '../../scripts/lib/resources';
import { dynamoClient, ensureTable, startDynalite, startMoto, type Emulator } from '../../scripts/testing/emulators';
import { CoalescedGet } from '../src/dynamodb/coalesced-get';

// Reads started together go out as one BatchGetItem and are answered as each one's GetItem would
// have been; on both DynamoDB emulators the contract suites use.

type Item = Record<string, AttributeValue>;
const resources = loadResources();
const EVENTS = 'coalesced-events';
const PAYMENTS = 'coalesced-payments';

describe.each([
  ['dynalite', startDynalite],
  ['moto', startMoto],
])('CoalescedGet on %s', (_name, start: () => Promise<Emulator>) => {
  let emulator: Emulator;
  let client: DynamoDBClient;
  const sent: string[] = [];
  /** Keys to answer as unprocessed in the next BatchGetItem, as DynamoDB does when throttled. */
  let leaveUnprocessed: Item[] = [];

  beforeAll(async () => {
    emulator = await start();
    client = dynamoClient(emulator.endpoint);
    await ensureTable(client, resources.tables.find((t) => t.id === 'webhook_idempotency')!, EVENTS);
    await ensureTable(client, resources.tables.find((t) => t.id === 'payments')!, PAYMENTS);
    for (let i = 0; i < 150; i += 1) await client.send(new PutItemCommand({ TableName: EVENTS, Item: { eventId: { S: `evt_${i}` }, status: { S: 'processed' } } }));
    await client.send(new PutItemCommand({ TableName: PAYMENTS, Item: { userId: { S: 'u1' }, paymentId: { S: 'pay_1' }, version: { N: '4' } } }));
    client.middlewareStack.add(
      (next, context) => async (args) => {
        sent.push(context.commandName ?? '');
        const result = await next(args);
        if (context.commandName === 'BatchGetItemCommand' && leaveUnprocessed.length > 0) {
          const output = result.output as BatchGetItemCommandOutput;
          const held = leaveUnprocessed.map((key) => JSON.stringify(key));
          leaveUnprocessed = [];
          output.Responses = { [EVENTS]: (output.Responses?.[EVENTS] ?? []).filter((item) => !held.includes(JSON.stringify({ eventId: item.eventId }))) };
          output.UnprocessedKeys = { [EVENTS]: { Keys: held.map((key) => JSON.parse(key) as Item), ConsistentRead: true } };
        }
        return result;
      },
      { step: 'initialize', name: 'recordCommands' },
    );
  }, 60_000);
  afterAll(async () => {
    client.destroy();
    await emulator.stop();
  });
  beforeEach(() => {
    sent.length = 0;
  });

  it('answers reads started together with one BatchGetItem: found, missing, repeated and of two tables', async () => {
    const reader = CoalescedGet.for(client);
    const answers = await Promise.all([
      reader.get(EVENTS, { eventId: { S: 'evt_1' } }),
      reader.get(EVENTS, { eventId: { S: 'evt_missing' } }),
      reader.get(EVENTS, { eventId: { S: 'evt_1' } }),
      reader.get(PAYMENTS, { userId: { S: 'u1' }, paymentId: { S: 'pay_1' } }),
      reader.get(PAYMENTS, { userId: { S: 'u1' }, paymentId: { S: 'pay_2' } }),
    ]);
    expect(sent).toEqual(['BatchGetItemCommand']);
    expect(answers[0]).toEqual({ eventId: { S: 'evt_1' }, status: { S: 'processed' } });
    expect(answers[1]).toBeUndefined();
    expect(answers[2]).toEqual(answers[0]);
    expect(answers[3]).toEqual({ userId: { S: 'u1' }, paymentId: { S: 'pay_1' }, version: { N: '4' } });
    expect(answers[4]).toBeUndefined();
  });

  it('reads alone with GetItem', async () => {
    const item = await CoalescedGet.for(client).get(EVENTS, { eventId: { S: 'evt_2' } });
    expect(sent).toEqual(['GetItemCommand']);
    expect(item?.eventId).toEqual({ S: 'evt_2' });
  });

  it('splits more than 100 keys into requests of at most 100', async () => {
    const reader = CoalescedGet.for(client);
    const answers = await Promise.all(Array.from({ length: 150 }, (_, i) => reader.get(EVENTS, { eventId: { S: `evt_${i}` } })));
    expect(sent).toEqual(['BatchGetItemCommand', 'BatchGetItemCommand']);
    expect(answers.map((a) => a?.eventId?.S)).toEqual(Array.from({ length: 150 }, (_, i) => `evt_${i}`));
  });

  it('reads what DynamoDB left unprocessed with GetItem', async () => {
    leaveUnprocessed = [{ eventId: { S: 'evt_5' } }];
    const reader = CoalescedGet.for(client);
    const answers = await Promise.all([reader.get(EVENTS, { eventId: { S: 'evt_4' } }), reader.get(EVENTS, { eventId: { S: 'evt_5' } })]);
    expect(sent).toEqual(['BatchGetItemCommand', 'GetItemCommand']);
    expect(answers.map((a) => a?.eventId?.S)).toEqual(['evt_4', 'evt_5']);
  });

  it('fails every read of a request that fails', async () => {
    const reader = CoalescedGet.for(client);
    const outcomes = await Promise.allSettled([reader.get(EVENTS, { eventId: { S: 'evt_1' } }), reader.get('coalesced-no-such-table', { eventId: { S: 'evt_1' } })]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
