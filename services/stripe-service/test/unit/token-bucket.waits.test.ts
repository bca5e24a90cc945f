import { TokenBucket } from '../../src/application/shared/token-bucket';
import { RecordingClock } from '../support/manual-clock';

// The wait is exactly what the missing fraction of a token takes to refill: a longer one slows a
// catalog sync for nothing, a shorter one wakes only to sleep again.
describe('TokenBucket waits', () => {
  it('sleeps only for the part of a token still missing', async () => {
    const clock = new RecordingClock();
    const bucket = new TokenBucket(clock, 10);
    await bucket.take();
    clock.advance(40);
    await bucket.take();
    expect(clock.sleeps).toEqual([60]);
  });

  it('sleeps a whole token\'s time when none is left, rounded up to the millisecond', async () => {
    const clock = new RecordingClock();
    const bucket = new TokenBucket(clock, 3);
    await bucket.take();
    await bucket.take();
    expect(clock.sleeps).toEqual([334]);
  });

  it('says which setting is wrong', () => {
    const clock = new RecordingClock();
    expect(() => new TokenBucket(clock, Number.POSITIVE_INFINITY)).toThrow(new RangeError('ratePerSecond must be a positive number'));
    expect(() => new TokenBucket(clock, -1)).toThrow(new RangeError('ratePerSecond must be a positive number'));
    expect(() => new TokenBucket(clock, 5, 0.5)).toThrow(new RangeError('burst must be at least 1'));
    expect(() => new TokenBucket(clock, 5, 1)).not.toThrow();
  });
});
