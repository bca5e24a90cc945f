import { SharedProbe } from '../../../src/application/health/shared-probe';
import type { DependencyProbe } from '../../../src/application/ports/dependency-probe';
import { ManualClock } from '../../support/manual-clock';

/** A probe that answers when told to, counting its calls. */
function controlled() {
  let calls = 0;
  let answer: { resolve: () => void; reject: (e: Error) => void } | undefined;
  const probe: DependencyProbe = {
    name: 'stripe',
    check: () => {
      calls += 1;
      return new Promise<void>((resolve, reject) => {
        answer = { resolve, reject };
      });
    },
  };
  return { probe, calls: () => calls, succeed: () => answer?.resolve(), fail: (message: string) => answer?.reject(new Error(message)) };
}

describe('SharedProbe', () => {
  it('shares one call among concurrent checks', async () => {
    const inner = controlled();
    const shared = new SharedProbe(inner.probe, new ManualClock(), { okMs: 5_000, failedMs: 2_000 });
    const checks = Array.from({ length: 25 }, () => shared.check());
    inner.succeed();
    await Promise.all(checks);
    expect(inner.calls()).toBe(1);
    expect(shared.name).toBe('stripe');
  });

  it('believes a success for okMs only, so an outage shows within seconds', async () => {
    const inner = controlled();
    const clock = new ManualClock();
    const shared = new SharedProbe(inner.probe, clock, { okMs: 5_000, failedMs: 2_000 });
    const first = shared.check();
    inner.succeed();
    await first;
    clock.advance(4_999);
    await shared.check();
    expect(inner.calls()).toBe(1);
    clock.advance(1);
    const second = shared.check();
    inner.fail('Stripe answered 500');
    await expect(second).rejects.toThrow('Stripe answered 500');
    expect(inner.calls()).toBe(2);
  });

  it('believes a failure for failedMs, answering every check with it and not calling again, then tries again', async () => {
    const inner = controlled();
    const clock = new ManualClock();
    const shared = new SharedProbe(inner.probe, clock, { okMs: 5_000, failedMs: 2_000 });
    const first = shared.check();
    inner.fail('Stripe is unreachable');
    await expect(first).rejects.toThrow('Stripe is unreachable');
    for (let i = 0; i < 10; i += 1) await expect(shared.check()).rejects.toThrow('Stripe is unreachable');
    expect(inner.calls()).toBe(1);
    clock.advance(2_000);
    const retry = shared.check();
    inner.succeed();
    await retry;
    expect(inner.calls()).toBe(2);
  });
});
