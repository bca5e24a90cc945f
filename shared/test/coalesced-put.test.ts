import { GetItemCommand, PutItemCommand, type AttributeValue, type BatchWriteItemCommandInput, type BatchWriteItemCommandOutput, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadResources } from '../../scripts/lib/resources';
import { dynamoClient, ensureTable, startDynalite, startMoto, type Emulator } from '../../scripts/testing/emulators';
import { CoalescedPut, UnprocessedPutError } from '../src/dynamodb/coalesced-put';

// Puts started together go out as one BatchWriteItem, each one written as its PutItem would have
// been; what DynamoDB leaves unprocessed is sent again; on both DynamoDB emulators the contract
// suites use.

type Item = Record<string, AttributeValue>;
const resources = loadResources();
const EVENTS = 'coalesced-put-events';

describe.each([
  ['dynalite', startDynalite],
  ['moto', startMoto],
])('CoalescedPut on %s', (_name, start: () => Promise<Emulator>) => {
  let emulator: Emulator;
  let client: DynamoDBClient;
  const sent: { command: string; items: number }[] = [];
  /** Per coming BatchWriteItem, the event ids to hold back and answer as unprocessed, as DynamoDB does when throttled. */
  let holdBack: string[][] = [];

  beforeAll(async () => {
    emulator = await start();
    client = dynamoClient(emulator.endpoint);
    await ensureTable(client, resources.tables.find((t) => t.id === 'webhook_idempotency')!, EVENTS);
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as Partial<BatchWriteItemCommandInput>;
        const requests = input.RequestItems?.[EVENTS] ?? [];
        sent.push({ command: context.commandName ?? '', items: context.commandName === 'BatchWriteItemCommand' ? requests.length : 1 });
        const held = context.commandName === 'BatchWriteItemCommand' ? (holdBack.shift() ?? []) : [];
        if (held.length === 0) return next(args);
        const isHeld = (r: (typeof requests)[number]) => held.includes(r.PutRequest?.Item?.eventId?.S ?? '');
        const kept = requests.filter((r) => !isHeld(r));
        const result = kept.length > 0 ? await next({ ...args, input: { ...input, RequestItems: { [EVENTS]: kept } } }) : { output: { $metadata: {} }, response: {} };
        (result.output as BatchWriteItemCommandOutput).UnprocessedItems = { [EVENTS]: requests.filter(isHeld) };
        return result as Awaited<ReturnType<typeof next>>;
      },
      { step: 'initialize', name: 'recordCommands' },
    );
  }, 60_000);
  afterAll(async () => {
    client?.destroy();
    await emulator?.stop();
  });
  beforeEach(() => {
    sent.length = 0;
    holdBack = [];
  });

  const key = (id: string): Item => ({ eventId: { S: id } });
  const item = (id: string, status = 'processed'): Item => ({ eventId: { S: id }, status: { S: status }, receivedAt: { N: '17' } });
  const read = async (id: string) => (await client.send(new GetItemCommand({ TableName: EVENTS, Key: key(id), ConsistentRead: true }))).Item;

  it('writes puts started together with one BatchWriteItem, each item as given, replacing what was there', async () => {
    await client.send(new PutItemCommand({ TableName: EVENTS, Item: { ...item('evt_b0', 'received'), leaseUntil: { N: '5' } } }));
    sent.length = 0;
    const writer = CoalescedPut.for(client);
    await Promise.all(['evt_b0', 'evt_b1', 'evt_b2'].map((id) => writer.put(EVENTS, key(id), item(id))));
    expect(sent).toEqual([{ command: 'BatchWriteItemCommand', items: 3 }]);
    for (const id of ['evt_b0', 'evt_b1', 'evt_b2']) expect(await read(id)).toEqual(item(id));
  });

  it('writes a put alone with PutItem', async () => {
    await CoalescedPut.for(client).put(EVENTS, key('evt_alone'), item('evt_alone'));
    expect(sent).toEqual([{ command: 'PutItemCommand', items: 1 }]);
    expect(await read('evt_alone')).toEqual(item('evt_alone'));
  });

  it('splits more than 25 puts into requests of at most 25', async () => {
    const writer = CoalescedPut.for(client);
    const ids = Array.from({ length: 30 }, (_, i) => `evt_s${i}`);
    await Promise.all(ids.map((id) => writer.put(EVENTS, key(id), item(id))));
    expect(sent).toEqual([
      { command: 'BatchWriteItemCommand', items: 25 },
      { command: 'BatchWriteItemCommand', items: 5 },
    ]);
    for (const id of ids) expect(await read(id)).toEqual(item(id));
  });

  it('writes two puts of one key in a turn once, the later item, and answers both', async () => {
    const writer = CoalescedPut.for(client);
    await Promise.all([writer.put(EVENTS, key('evt_twice'), item('evt_twice', 'first')), writer.put(EVENTS, key('evt_twice'), item('evt_twice', 'second')), writer.put(EVENTS, key('evt_other'), item('evt_other'))]);
    expect(sent).toEqual([{ command: 'BatchWriteItemCommand', items: 2 }]);
    expect(await read('evt_twice')).toEqual(item('evt_twice', 'second'));
  });

  it('sends again what DynamoDB left unprocessed, until it is written', async () => {
    holdBack = [['evt_u1', 'evt_u2'], ['evt_u2']];
    const writer = CoalescedPut.for(client);
    await Promise.all(['evt_u0', 'evt_u1', 'evt_u2'].map((id) => writer.put(EVENTS, key(id), item(id))));
    expect(sent).toEqual([
      { command: 'BatchWriteItemCommand', items: 3 },
      { command: 'BatchWriteItemCommand', items: 2 },
      { command: 'BatchWriteItemCommand', items: 1 },
    ]);
    for (const id of ['evt_u0', 'evt_u1', 'evt_u2']) expect(await read(id)).toEqual(item(id));
  });

  it('fails only the put DynamoDB left unprocessed through every retry; the others are written', async () => {
    holdBack = Array.from({ length: 9 }, () => ['evt_stuck']);
    const writer = CoalescedPut.for(client);
    const outcomes = await Promise.allSettled(['evt_f0', 'evt_stuck', 'evt_f2'].map((id) => writer.put(EVENTS, key(id), item(id))));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(UnprocessedPutError);
    // The first call and eight retries, then no more.
    expect(sent).toHaveLength(9);
    expect(await read('evt_stuck')).toBeUndefined();
    expect(await read('evt_f2')).toEqual(item('evt_f2'));
  });

  it('fails every put of a request that fails', async () => {
    const writer = CoalescedPut.for(client);
    const outcomes = await Promise.allSettled([writer.put(EVENTS, key('evt_r0'), item('evt_r0')), writer.put('coalesced-put-no-such-table', key('evt_r1'), item('evt_r1'))]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
