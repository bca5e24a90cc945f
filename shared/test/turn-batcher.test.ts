import { onePer, TurnBatcher, type BatchCalls, type Waiter } from '../src/batching/turn-batcher';

// The batcher alone, with calls that record what they were given: what goes out together, in what
// order, and who is answered how.

interface Entry {
  id: string;
  topic?: string;
  bytes?: number;
}

/** A batcher whose batch call answers each entry with its id in capitals, unless `answer` says otherwise. */
function recording(calls: Partial<BatchCalls<Entry, string>> = {}, answer?: (waiter: Waiter<Entry, string>) => void) {
  const batches: string[][] = [];
  const batcher = new TurnBatcher<Entry, string>({
    maxEntries: 10,
    sendBatch: async (chunk) => {
      batches.push(chunk.map((waiter) => waiter.entry.id));
      for (const waiter of chunk) (answer ?? ((w) => w.resolve(w.entry.id.toUpperCase())))(waiter);
    },
    ...calls,
  });
  return { batches, add: (id: string, more: Omit<Entry, 'id'> = {}) => batcher.add({ id, ...more }) };
}

const ids = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

describe('TurnBatcher', () => {
  it('sends the entries started in one turn as one call once the turn is over, and those of the next turn in the next call', async () => {
    const { batches, add } = recording();
    const first = Promise.all([add('a'), add('b'), add('c')]);
    expect(batches).toEqual([]);
    expect(await first).toEqual(['A', 'B', 'C']);
    expect(await Promise.all([add('d'), add('e')])).toEqual(['D', 'E']);
    expect(batches).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
  });

  it('cuts a turn into calls of at most maxEntries, in the callers order, a last chunk of one still a batch', async () => {
    const alone: string[] = [];
    const { batches, add } = recording({
      maxEntries: 3,
      sendAlone: async (entry) => {
        alone.push(entry.id);
        return 'alone';
      },
    });
    expect(await Promise.all(ids('r', 7).map((id) => add(id)))).toEqual(ids('R', 7));
    expect(batches).toEqual([['r0', 'r1', 'r2'], ['r3', 'r4', 'r5'], ['r6']]);
    expect(alone).toEqual([]);
  });

  it('sends the only entry of a turn with sendAlone where there is one, else as a batch of one', async () => {
    const alone: string[] = [];
    const withAlone = recording({
      sendAlone: async (entry) => {
        alone.push(entry.id);
        return `alone ${entry.id}`;
      },
    });
    expect(await withAlone.add('x')).toBe('alone x');
    expect(alone).toEqual(['x']);
    expect(withAlone.batches).toEqual([]);

    const without = recording();
    expect(await without.add('y')).toBe('Y');
    expect(without.batches).toEqual([['y']]);
  });

  it('fails only the callers whose entries the call refused', async () => {
    const { add } = recording({}, (waiter) => (waiter.entry.id.startsWith('bad') ? waiter.reject(new Error(`refused ${waiter.entry.id}`)) : waiter.resolve('ok')));
    const outcomes = await Promise.allSettled([add('good0'), add('bad1'), add('good2'), add('bad3')]);
    expect(outcomes).toEqual([
      { status: 'fulfilled', value: 'ok' },
      { status: 'rejected', reason: new Error('refused bad1') },
      { status: 'fulfilled', value: 'ok' },
      { status: 'rejected', reason: new Error('refused bad3') },
    ]);
  });

  it.each([
    ['rejects', async () => Promise.reject(new Error('request failed'))],
    [
      'throws before it returns a promise',
      () => {
        throw new Error('request failed');
      },
    ],
  ])('fails every caller of a chunk whose call %s, keeps the answers it gave, spares the other chunks, and the next turn works', async (_how, fail: () => Promise<void>) => {
    let turn = 0;
    const batcher = new TurnBatcher<Entry, string>({
      maxEntries: 3,
      // Not async, so that a throw is thrown before any promise is returned.
      sendBatch: (chunk) => {
        if (turn === 0 && chunk.some((waiter) => waiter.entry.id === 'c3')) {
          chunk[0]!.resolve('answered before the failure');
          return fail();
        }
        for (const waiter of chunk) waiter.resolve(`ok ${waiter.entry.id}`);
        return Promise.resolve();
      },
      sendAlone: async () => {
        throw new Error('a turn of one goes alone');
      },
    });
    const outcomes = await Promise.allSettled(ids('c', 6).map((id) => batcher.add({ id })));
    expect(outcomes).toEqual([
      { status: 'fulfilled', value: 'ok c0' },
      { status: 'fulfilled', value: 'ok c1' },
      { status: 'fulfilled', value: 'ok c2' },
      { status: 'fulfilled', value: 'answered before the failure' },
      { status: 'rejected', reason: new Error('request failed') },
      { status: 'rejected', reason: new Error('request failed') },
    ]);
    turn += 1;
    expect(await Promise.all([batcher.add({ id: 'c3' }), batcher.add({ id: 'c4' })])).toEqual(['ok c3', 'ok c4']);
    await expect(batcher.add({ id: 'one' })).rejects.toThrow('a turn of one goes alone');
  });

  it('fails the only entry of a turn whose call throws before it returns a promise', async () => {
    const { add } = recording({
      sendAlone: () => {
        throw new Error('no connection');
      },
    });
    await expect(add('x')).rejects.toThrow('no connection');
  });

  it('counts entries of one key once, sends the later of them, and answers all their callers with its answer', async () => {
    const sent: Entry[][] = [];
    const batcher = new TurnBatcher<Entry, string>({
      maxEntries: 2,
      keyOf: (entry) => entry.id,
      sendBatch: async (chunk) => {
        sent.push(chunk.map((waiter) => waiter.entry));
        for (const waiter of chunk) {
          if (waiter.entry.id === 'k2') waiter.reject(new Error('refused k2'));
          else waiter.resolve(`${waiter.entry.id}@${waiter.entry.bytes}`);
        }
      },
    });
    const outcomes = await Promise.allSettled([
      batcher.add({ id: 'k0', bytes: 1 }),
      batcher.add({ id: 'k1', bytes: 1 }),
      batcher.add({ id: 'k0', bytes: 2 }),
      batcher.add({ id: 'k2', bytes: 1 }),
      batcher.add({ id: 'k2', bytes: 2 }),
      batcher.add({ id: 'k0', bytes: 3 }),
    ]);
    expect(sent).toEqual([
      [
        { id: 'k0', bytes: 3 },
        { id: 'k1', bytes: 1 },
      ],
      [{ id: 'k2', bytes: 2 }],
    ]);
    expect(outcomes).toEqual([
      { status: 'fulfilled', value: 'k0@3' },
      { status: 'fulfilled', value: 'k1@1' },
      { status: 'fulfilled', value: 'k0@3' },
      { status: 'rejected', reason: new Error('refused k2') },
      { status: 'rejected', reason: new Error('refused k2') },
      { status: 'fulfilled', value: 'k0@3' },
    ]);
  });

  it('sends each group apart, in the order of its first entry, and keeps each call within maxBytes, an entry larger than that alone', async () => {
    const { batches, add } = recording({ maxEntries: 3, maxBytes: 10, bytesOf: (entry) => entry.bytes ?? 0, groupOf: (entry) => entry.topic ?? '' });
    await Promise.all([
      add('b0', { topic: 'b', bytes: 4 }),
      add('a0', { topic: 'a', bytes: 4 }),
      add('b1', { topic: 'b', bytes: 6 }),
      add('b2', { topic: 'b', bytes: 1 }),
      add('a1', { topic: 'a', bytes: 11 }),
      add('a2', { topic: 'a', bytes: 3 }),
      add('b3', { topic: 'b', bytes: 1 }),
      add('b4', { topic: 'b', bytes: 1 }),
      add('b5', { topic: 'b', bytes: 1 }),
    ]);
    expect(batches).toEqual([['b0', 'b1'], ['b2', 'b3', 'b4'], ['b5'], ['a0'], ['a1'], ['a2']]);
  });
});

describe('onePer', () => {
  it('makes one value per key on first use, with the arguments of that first use', () => {
    let made = 0;
    const valueOf = onePer((key: object, label: string = 'default') => ({ key, label, made: ++made }));
    const one = {};
    const other = {};
    const first = valueOf(one, 'first');
    expect(valueOf(one)).toBe(first);
    expect(valueOf(one, 'ignored')).toBe(first);
    expect(first.label).toBe('first');
    expect(valueOf(other)).toEqual({ key: other, label: 'default', made: 2 });
    expect(made).toBe(2);
  });
});
