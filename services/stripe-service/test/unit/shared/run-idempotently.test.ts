import { DomainError, ValidationError, type ErrorKind } from '@shared/errors/domain-error';
import type { IdempotencyStore } from '../../../src/application/ports/idempotency-store';
import { IdempotencyKeyInProgressError, IdempotencyKeyMismatchError, RunIdempotently, type IdempotentRequest } from '../../../src/application/shared/run-idempotently';
import { InMemoryIdempotencyStore } from '../../fakes/in-memory-idempotency-store';
import { ManualClock } from '../../support/manual-clock';

/** The in-memory store, recording what the use case asked of it. */
class RecordingStore implements IdempotencyStore {
  readonly inner = new InMemoryIdempotencyStore();
  readonly begun: Parameters<IdempotencyStore['begin']>[0][] = [];
  readonly released: string[] = [];
  failRelease = false;

  begin(input: Parameters<IdempotencyStore['begin']>[0]) {
    this.begun.push(input);
    return this.inner.begin(input);
  }

  complete(...args: Parameters<IdempotencyStore['complete']>) {
    return this.inner.complete(...args);
  }

  async release(key: string, operationId: string) {
    this.released.push(operationId);
    if (this.failRelease) throw new Error('store down');
    return this.inner.release(key, operationId);
  }
}

function setUp(options: ConstructorParameters<typeof RunIdempotently>[3] = {}) {
  const store = new RecordingStore();
  const clock = new ManualClock();
  let next = 0;
  const ids = { timeOrderedId: () => `op-${(next += 1)}` };
  return { store, clock, runner: new RunIdempotently(store, clock, ids, options) };
}

const request = (overrides: Partial<IdempotentRequest> = {}): IdempotentRequest => ({
  userId: 'user-1', key: 'key-1', operation: 'POST /stripe/payment-intent', payload: { amount: 1000, currency: 'usd' }, ...overrides,
});

/** An operation that counts its runs and answers 201 with the operation id it was given. */
function counting() {
  const ids: string[] = [];
  const operation = async (operationId: string) => {
    ids.push(operationId);
    return { status: 201, body: { operationId } };
  };
  return { ids, operation };
}

describe('RunIdempotently without a key', () => {
  it('runs the operation every time, each with a new operation id, and never touches the store', async () => {
    const { store, runner } = setUp();
    const { ids, operation } = counting();
    await expect(runner.run(request({ key: undefined }), operation)).resolves.toEqual({ status: 201, body: { operationId: 'op-1' }, replayed: false });
    await expect(runner.run(request({ key: undefined }), operation)).resolves.toEqual({ status: 201, body: { operationId: 'op-2' }, replayed: false });
    expect(ids).toEqual(['op-1', 'op-2']);
    expect(store.begun).toEqual([]);
  });
});

describe('RunIdempotently key format', () => {
  it.each([
    ['empty', ''],
    ['256 characters', 'k'.repeat(256)],
    ['a space', 'a b'],
    ['a DEL', 'a\x7f'],
    ['a control character', 'a\n'],
    ['a non-ASCII letter', 'clé'],
  ])('refuses a key that is %s with 400 idempotency_key_invalid, before running anything', async (_name, key) => {
    const { store, runner } = setUp();
    const { ids, operation } = counting();
    const error = await runner.run(request({ key }), operation).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({
      kind: 'validation', code: 'idempotency_key_invalid',
      message: 'The Idempotency-Key header must be 1 to 255 printable ASCII characters.',
      details: { errors: [{ field: 'Idempotency-Key', message: 'invalid' }] },
    });
    expect(ids).toEqual([]);
    expect(store.begun).toEqual([]);
  });

  it.each([
    ['one character', 'k'],
    ['255 characters', 'k'.repeat(255)],
    ['the first and last printable characters', '!~'],
    ['a UUID', '4b9a3a3e-3c1f-4c55-9d5e-6f1e2d3c4b5a'],
  ])('takes a key of %s', async (_name, key) => {
    const { runner } = setUp();
    const { ids, operation } = counting();
    await expect(runner.run(request({ key }), operation)).resolves.toMatchObject({ status: 201, replayed: false });
    expect(ids).toEqual(['op-1']);
  });
});

describe('RunIdempotently with a key', () => {
  it('runs once and replays the first answer for the same key and request', async () => {
    const { runner } = setUp();
    const { ids, operation } = counting();
    const first = await runner.run(request(), operation);
    const second = await runner.run(request(), operation);
    expect(first).toEqual({ status: 201, body: { operationId: 'op-1' }, replayed: false });
    expect(second).toEqual({ status: 201, body: { operationId: 'op-1' }, replayed: true });
    expect(ids).toEqual(['op-1']);
  });

  it('asks the store with the configured hold and retention, or 20 s and 24 h by default', async () => {
    const defaults = setUp();
    await defaults.runner.run(request(), counting().operation);
    expect(defaults.store.begun[0]).toMatchObject({ operationId: 'op-1', nowMs: defaults.clock.now(), inProgressMs: 20_000, ttlSeconds: 86_400 });
    const configured = setUp({ inProgressMs: 5_000, ttlSeconds: 60 });
    await configured.runner.run(request(), counting().operation);
    expect(configured.store.begun[0]).toMatchObject({ inProgressMs: 5_000, ttlSeconds: 60 });
  });

  it('treats the same body with its fields in another order, at any depth, as the same request', async () => {
    const { runner } = setUp();
    const { ids, operation } = counting();
    await runner.run(request({ payload: { amount: 1000, currency: 'usd', metadata: { b: '2', a: '1' } } }), operation);
    const replay = await runner.run(request({ payload: { metadata: { a: '1', b: '2' }, currency: 'usd', amount: 1000 } }), operation);
    expect(replay.replayed).toBe(true);
    expect(ids).toHaveLength(1);
  });

  it.each<[string, unknown, unknown]>([
    ['another value', { amount: 1000, currency: 'usd' }, { amount: 1001, currency: 'usd' }],
    ['another field', { amount: 1000, currency: 'usd' }, { amount: 1000, currency: 'usd', description: 'x' }],
    ['null in place of a value', { amount: 1000, currency: 'usd' }, { amount: 1000, currency: null }],
    ['a list in another order', { items: ['a', 'b'] }, { items: ['b', 'a'] }],
    ['an object in place of a list', { items: ['a', 'b'] }, { items: { 0: 'a', 1: 'b' } }],
  ])('refuses the key with 422 idempotency_key_reused for %s, and runs nothing', async (_name, first, second) => {
    const { runner } = setUp();
    const { ids, operation } = counting();
    await runner.run(request({ payload: first }), operation);
    const error = await runner.run(request({ payload: second }), operation).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdempotencyKeyMismatchError);
    expect(error).toMatchObject({
      kind: 'idempotency_mismatch', code: 'idempotency_key_reused',
      message: 'This Idempotency-Key was used with a different request; use a new key for a new request.',
    });
    expect(ids).toEqual(['op-1']);
  });

  it('refuses the key for another operation with the same body', async () => {
    const { runner } = setUp();
    const { operation } = counting();
    await runner.run(request({ operation: 'POST /stripe/payment-intent/pay_1/refund', payload: {} }), operation);
    await expect(runner.run(request({ operation: 'POST /stripe/payment-intent/pay_2/refund', payload: {} }), operation)).rejects.toBeInstanceOf(IdempotencyKeyMismatchError);
  });

  it('scopes keys to the caller: the same key from another user is another request', async () => {
    const { runner } = setUp();
    const { ids, operation } = counting();
    await runner.run(request({ userId: 'user-1' }), operation);
    await expect(runner.run(request({ userId: 'user-2' }), operation)).resolves.toMatchObject({ replayed: false });
    // Joining the two with a separator would make these one key.
    await runner.run(request({ userId: 'a', key: 'b.c' }), operation);
    await expect(runner.run(request({ userId: 'a.b', key: 'c' }), operation)).resolves.toMatchObject({ replayed: false });
    expect(ids).toEqual(['op-1', 'op-2', 'op-3', 'op-4']);
  });
});

describe('RunIdempotently when the operation fails', () => {
  it.each<ErrorKind>(['validation', 'not_found', 'conflict', 'payment_required', 'forbidden'])(
    'replays an expected %s failure as it was, marked replayed, without running again',
    async (kind) => {
      const { store, runner } = setUp();
      let runs = 0;
      const failing = async (): Promise<never> => {
        runs += 1;
        throw new DomainError(kind, 'some_code', 'It failed.', { details: { field: 'amount' } });
      };
      await expect(runner.run(request(), failing)).rejects.toMatchObject({ kind, code: 'some_code', details: { field: 'amount' } });
      const replayed = await runner.run(request(), failing).catch((e: unknown) => e);
      expect(replayed).toBeInstanceOf(DomainError);
      expect(replayed).toMatchObject({ kind, code: 'some_code', message: 'It failed.', details: { field: 'amount', replayed: true } });
      expect(runs).toBe(1);
      expect(store.released).toEqual([]);
    },
  );

  it('replays a failure that had no details with only the replayed mark', async () => {
    const { runner } = setUp();
    const failing = async (): Promise<never> => {
      throw new DomainError('not_found', 'payment_not_found', 'No such payment.');
    };
    await expect(runner.run(request(), failing)).rejects.toMatchObject({ details: undefined });
    await expect(runner.run(request(), failing)).rejects.toMatchObject({ details: { replayed: true } });
  });

  it.each<[string, Error]>([
    ['unavailable', new DomainError('unavailable', 'payment_provider_unavailable', 'Down.')],
    ['rate_limited', new DomainError('rate_limited', 'payment_provider_rate_limited', 'Slow down.')],
    ['unauthorized', new DomainError('unauthorized', 'token_invalid', 'No.')],
    ['internal', new DomainError('internal', 'internal_error', 'Oops.')],
    ['an unexpected error', new Error('bug')],
  ])('gives the key up after %s, so a retry runs again under the same operation id', async (_name, failure) => {
    const { store, runner } = setUp();
    const ids: string[] = [];
    let fail = true;
    const operation = async (operationId: string) => {
      ids.push(operationId);
      if (fail) throw failure;
      return { status: 201, body: {} };
    };
    await expect(runner.run(request(), operation)).rejects.toBe(failure);
    expect(store.released).toEqual(['op-1']);
    fail = false;
    await expect(runner.run(request(), operation)).resolves.toEqual({ status: 201, body: {}, replayed: false });
    expect(ids).toEqual(['op-1', 'op-1']);
  });

  it('answers the operation\'s own error when giving the key up fails too', async () => {
    const { store, runner } = setUp();
    store.failRelease = true;
    const failure = new DomainError('unavailable', 'payment_provider_unavailable', 'Down.');
    await expect(runner.run(request(), async () => Promise.reject(failure))).rejects.toBe(failure);
    expect(store.released).toEqual(['op-1']);
  });
});

describe('RunIdempotently while the first request runs', () => {
  it('makes a concurrent request wait for the first and answer its result', async () => {
    const { clock, runner } = setUp({ waitMs: 3_000, pollMs: 50 });
    let finish: () => void = () => undefined;
    const slow = async (operationId: string) => {
      await new Promise<void>((resolve) => {
        finish = resolve;
      });
      return { status: 201, body: { operationId } };
    };
    const first = runner.run(request(), slow);
    const started = clock.now();
    const second = runner.run(request(), slow);
    // Let the second poll a few times (bounded: a second that never polls must fail, not hang), then let the first finish.
    for (let turn = 0; turn < 1_000 && clock.now() < started + 500; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(clock.now()).toBeGreaterThanOrEqual(started + 500);
    finish();
    await expect(first).resolves.toEqual({ status: 201, body: { operationId: 'op-1' }, replayed: false });
    await expect(second).resolves.toEqual({ status: 201, body: { operationId: 'op-1' }, replayed: true });
  });

  it('answers 409 idempotency_key_in_progress with Retry-After once it has waited exactly its wait, polling at its interval', async () => {
    const { store, clock, runner } = setUp({ waitMs: 1_000, pollMs: 100 });
    const never = () => new Promise<never>(() => undefined);
    void runner.run(request(), never);
    await new Promise((resolve) => setImmediate(resolve));
    const started = clock.now();
    const error = await runner.run(request(), never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdempotencyKeyInProgressError);
    expect(error).toMatchObject({
      kind: 'conflict', code: 'idempotency_key_in_progress', retryAfterSeconds: 1,
      message: 'A request with this Idempotency-Key is still being processed; retry shortly.',
    });
    expect(clock.now() - started).toBe(1_000);
    // The first request's begin, then the second's: one at the start and one after each of ten polls.
    expect(store.begun).toHaveLength(1 + 11);
    expect(store.begun.slice(1).map((input) => input.nowMs - started)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1_000]);
  });

  it('waits 3 s by default, polling every 50 ms', async () => {
    const { store, clock, runner } = setUp();
    const never = () => new Promise<never>(() => undefined);
    void runner.run(request(), never);
    await new Promise((resolve) => setImmediate(resolve));
    const started = clock.now();
    await expect(runner.run(request(), never)).rejects.toBeInstanceOf(IdempotencyKeyInProgressError);
    expect(clock.now() - started).toBe(3_000);
    expect(store.begun).toHaveLength(1 + 61);
  });

  it('takes over a key whose holder stopped, under the holder\'s operation id', async () => {
    const { clock, runner } = setUp({ inProgressMs: 20_000 });
    void runner.run(request(), () => new Promise<never>(() => undefined));
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(20_001);
    const { ids, operation } = counting();
    await expect(runner.run(request(), operation)).resolves.toEqual({ status: 201, body: { operationId: 'op-1' }, replayed: false });
    expect(ids).toEqual(['op-1']);
  });
});
