import { TokenBucket } from '../../src/application/shared/token-bucket';
import { ManualClock } from '../support/manual-clock';

async function takeTimes(bucket: TokenBucket, clock: ManualClock, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    await bucket.take();
    times.push(clock.now());
  }
  return times;
}

const maxInAnySecond = (times: number[]) => Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));

describe('TokenBucket', () => {
  it('spaces requests so that no one-second window holds more than the rate', async () => {
    const clock = new ManualClock();
    const times = await takeTimes(new TokenBucket(clock, 25), clock, 100);
    expect(maxInAnySecond(times)).toBe(25);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(99 * 40);
  });

  it('lets a burst through at once after idle time, then keeps the rate', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(clock, 10, 5);
    const start = clock.now();
    const times = await takeTimes(bucket, clock, 7);
    expect(times.slice(0, 5)).toEqual([start, start, start, start, start]);
    expect(times[5]! - start).toBeGreaterThanOrEqual(100);
    expect(times[6]! - times[5]!).toBeGreaterThanOrEqual(100);
  });

  it('refuses a rate that is not a positive number', () => {
    const clock = new ManualClock();
    expect(() => new TokenBucket(clock, 0)).toThrow(RangeError);
    expect(() => new TokenBucket(clock, Number.NaN)).toThrow(RangeError);
    expect(() => new TokenBucket(clock, 5, 0)).toThrow(RangeError);
  });
});
