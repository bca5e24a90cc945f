import type Stripe from 'stripe';
import { ServiceUnavailableError } from '@shared/errors/domain-error';
import { StripeCaller } from '../../../src/adapters/stripe/stripe-call';

describe('StripeCaller', () => {
  it('answers an unreadable API key as a retryable 503, builds no client, and observes no call', async () => {
    let built = 0;
    const observed: boolean[] = [];
    const caller = new StripeCaller(
      () => {
        built += 1;
        return {} as Stripe;
      },
      async () => Promise.reject(new Error('ThrottlingException')),
      (_ms, ok) => observed.push(ok),
    );
    const error = await caller.call(async () => 'never').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({ code: 'secrets_unavailable', retryAfterSeconds: 5 });
    expect(built).toBe(0);
    expect(observed).toEqual([]);
  });

  it('builds the client once, on first use, and observes each call with its outcome', async () => {
    let built = 0;
    const observed: boolean[] = [];
    const caller = new StripeCaller(
      (key) => {
        built += 1;
        return { key } as unknown as Stripe;
      },
      async () => 'sk_test_key',
      (_ms, ok) => observed.push(ok),
    );
    expect(built).toBe(0);
    expect(await caller.call(async (stripe, options) => `${(stripe as unknown as { key: string }).key}:${options.apiKey}`)).toBe('sk_test_key:sk_test_key');
    await caller.call(async () => Promise.reject(Object.assign(new Error('down'), { type: 'StripeAPIError' }))).catch(() => undefined);
    expect(await caller.callOrUndefined(async () => Promise.reject(Object.assign(new Error('gone'), { type: 'StripeInvalidRequestError', code: 'resource_missing' })))).toBeUndefined();
    expect(built).toBe(1);
    expect(observed).toEqual([true, false, true]);
  });

  it('builds one client for concurrent first calls, and builds again after a build that failed', async () => {
    let attempts = 0;
    const caller = new StripeCaller(
      async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('the SDK module could not load');
        return { attempt: attempts } as unknown as Stripe;
      },
      async () => 'sk_test_key',
    );
    await expect(caller.call(async () => 'first')).rejects.toThrow('the SDK module could not load');
    const answers = await Promise.all([1, 2, 3].map(() => caller.call(async (stripe) => (stripe as unknown as { attempt: number }).attempt)));
    expect(answers).toEqual([2, 2, 2]);
    expect(attempts).toBe(2);
  });
});
