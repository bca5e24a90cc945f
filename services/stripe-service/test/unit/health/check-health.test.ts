import { jest } from '@jest/globals';
import { CheckHealth } from '../../../src/application/health/check-health';
import type { DependencyProbe } from '../../../src/application/ports/dependency-probe';
import { ManualClock } from '../../support/manual-clock';

/** A probe that answers when told to, after the time it is told it took. */
function controlled(name: string, clock: ManualClock) {
  let calls = 0;
  let answer: { resolve: () => void; reject: (reason: unknown) => void } | undefined;
  const probe: DependencyProbe = {
    name,
    check: () => {
      calls += 1;
      return new Promise<void>((resolve, reject) => {
        answer = { resolve, reject };
      });
    },
  };
  return {
    probe,
    calls: () => calls,
    succeed: (tookMs = 0) => {
      clock.advance(tookMs);
      answer?.resolve();
    },
    fail: (reason: unknown, tookMs = 0) => {
      clock.advance(tookMs);
      answer?.reject(reason);
    },
  };
}

/** Lets every answer given so far be taken in before the clock moves on. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A probe that has already answered. */
const answered = (name: string, outcome: () => Promise<void>): DependencyProbe => ({ name, check: outcome });

/** The three dependencies the health function checks, in its composition root's order. */
function threeDependencies() {
  const clock = new ManualClock();
  const dynamodb = controlled('dynamodb', clock);
  const secrets = controlled('secrets', clock);
  const stripe = controlled('stripe', clock);
  const health = new CheckHealth([dynamodb.probe, secrets.probe, stripe.probe], clock);
  return { clock, dynamodb, secrets, stripe, health };
}

describe('CheckHealth', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('answers ok with every dependency ok and the time each took', async () => {
    const { dynamodb, secrets, stripe, health } = threeDependencies();
    const report = health.execute();
    dynamodb.succeed(12);
    await settle();
    secrets.succeed(3);
    await settle();
    stripe.succeed(40);
    const answer = await report;
    expect(answer).toEqual({
      status: 'ok',
      checks: {
        dynamodb: { status: 'ok', latencyMs: 12 },
        secrets: { status: 'ok', latencyMs: 15 },
        stripe: { status: 'ok', latencyMs: 55 },
      },
    });
    expect(Object.keys(answer.checks)).toEqual(['dynamodb', 'secrets', 'stripe']);
    expect(answer.checks.dynamodb).not.toHaveProperty('error');
  });

  it('asks every dependency at once, not one after the other', async () => {
    const { dynamodb, secrets, stripe, health } = threeDependencies();
    const report = health.execute();
    expect([dynamodb.calls(), secrets.calls(), stripe.calls()]).toEqual([1, 1, 1]);
    stripe.succeed();
    secrets.succeed();
    dynamodb.succeed();
    expect((await report).status).toBe('ok');
    expect([dynamodb.calls(), secrets.calls(), stripe.calls()]).toEqual([1, 1, 1]);
  });

  it('answers degraded naming the one dependency that failed, with its reason and time, the others ok', async () => {
    const { dynamodb, secrets, stripe, health } = threeDependencies();
    const report = health.execute();
    dynamodb.fail(new Error('DescribeTable failed (ResourceNotFoundException)'), 7);
    secrets.succeed();
    stripe.succeed();
    expect(await report).toEqual({
      status: 'degraded',
      checks: {
        dynamodb: { status: 'failed', latencyMs: 7, error: 'DescribeTable failed (ResourceNotFoundException)' },
        secrets: { status: 'ok', latencyMs: 7 },
        stripe: { status: 'ok', latencyMs: 7 },
      },
    });
  });

  it.each(['dynamodb', 'secrets', 'stripe'] as const)('answers degraded when only %s fails', async (failing) => {
    const clock = new ManualClock();
    const names = ['dynamodb', 'secrets', 'stripe'];
    const probes = names.map((name) => answered(name, async () => (name === failing ? Promise.reject(new Error(`${name} is down`)) : undefined)));
    const report = await new CheckHealth(probes, clock).execute();
    expect(report).toEqual({
      status: 'degraded',
      checks: Object.fromEntries(names.map((name) => [name, name === failing ? { status: 'failed', latencyMs: 0, error: `${name} is down` } : { status: 'ok', latencyMs: 0 }])),
    });
  });

  it('answers degraded naming each of several failed dependencies', async () => {
    const clock = new ManualClock();
    const report = await new CheckHealth(
      [answered('dynamodb', async () => Promise.reject(new Error('table status is CREATING'))), answered('secrets', async () => undefined), answered('stripe', async () => Promise.reject(new Error('Stripe answered 500')))],
      clock,
    ).execute();
    expect(report).toEqual({
      status: 'degraded',
      checks: {
        dynamodb: { status: 'failed', latencyMs: 0, error: 'table status is CREATING' },
        secrets: { status: 'ok', latencyMs: 0 },
        stripe: { status: 'failed', latencyMs: 0, error: 'Stripe answered 500' },
      },
    });
  });

  it('answers degraded when every dependency failed', async () => {
    const clock = new ManualClock();
    const down = (name: string) => answered(name, async () => Promise.reject(new Error(`${name} unreachable`)));
    const report = await new CheckHealth([down('dynamodb'), down('stripe')], clock).execute();
    expect(report).toEqual({
      status: 'degraded',
      checks: { dynamodb: { status: 'failed', latencyMs: 0, error: 'dynamodb unreachable' }, stripe: { status: 'failed', latencyMs: 0, error: 'stripe unreachable' } },
    });
  });

  it('reports a failure that is not an Error by its text', async () => {
    const { dynamodb, secrets, stripe, health } = threeDependencies();
    const report = health.execute();
    dynamodb.succeed();
    secrets.fail('access denied');
    stripe.fail(503);
    expect((await report).checks).toEqual({
      dynamodb: { status: 'ok', latencyMs: 0 },
      secrets: { status: 'failed', latencyMs: 0, error: 'access denied' },
      stripe: { status: 'failed', latencyMs: 0, error: '503' },
    });
  });

  it('answers ok with nothing to check', async () => {
    expect(await new CheckHealth([], new ManualClock()).execute()).toEqual({ status: 'ok', checks: {} });
  });

  describe('a dependency that does not answer', () => {
    beforeEach(() => {
      jest.useFakeTimers();
    });

    it('is failed after exactly 2 s by default, naming the time it waited, while the others answer', async () => {
      const clock = new ManualClock();
      const hung = controlled('stripe', clock);
      const health = new CheckHealth([answered('dynamodb', async () => undefined), hung.probe], clock);
      let settled = false;
      const report = health.execute().finally(() => {
        settled = true;
      });
      await jest.advanceTimersByTimeAsync(1_999);
      expect(settled).toBe(false);
      clock.advance(2_000);
      await jest.advanceTimersByTimeAsync(1);
      expect(settled).toBe(true);
      expect(await report).toEqual({
        status: 'degraded',
        checks: { dynamodb: { status: 'ok', latencyMs: 0 }, stripe: { status: 'failed', latencyMs: 2_000, error: 'no answer within 2000 ms' } },
      });
    });

    it('is failed after the timeout it is given', async () => {
      const clock = new ManualClock();
      const hung = controlled('dynamodb', clock);
      let settled = false;
      const report = new CheckHealth([hung.probe], clock, 250).execute().finally(() => {
        settled = true;
      });
      await jest.advanceTimersByTimeAsync(249);
      expect(settled).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      expect(await report).toEqual({ status: 'degraded', checks: { dynamodb: { status: 'failed', latencyMs: 0, error: 'no answer within 250 ms' } } });
    });

    it('leaves no timer behind once every dependency answered, ok or failed', async () => {
      const clock = new ManualClock();
      const quick = controlled('dynamodb', clock);
      const report = new CheckHealth([quick.probe], clock).execute();
      expect(jest.getTimerCount()).toBe(1);
      quick.succeed();
      await report;
      expect(jest.getTimerCount()).toBe(0);

      const failing = controlled('secrets', clock);
      const failed = new CheckHealth([failing.probe], clock).execute();
      failing.fail(new Error('the secret could not be read'));
      expect((await failed).status).toBe('degraded');
      expect(jest.getTimerCount()).toBe(0);
    });
  });
});
