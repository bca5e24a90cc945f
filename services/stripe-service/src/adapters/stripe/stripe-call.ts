import type Stripe from 'stripe';
import { ServiceUnavailableError } from '@shared/errors/domain-error';
import { mapStripeError } from './stripe-error-mapper';

/** Per-request options every SDK call takes: the key is read per call, so a rotated secret is used once the cache refreshes. */
export type CallOptions = { apiKey: string };

/**
 * What every Stripe adapter shares: a client built on first use (nothing is built or fetched at
 * cold start that a request might not need), the current API key, and one error mapping.
 */
export class StripeCaller {
  private client: Promise<Stripe> | undefined;

  constructor(
    private readonly createClient: (apiKey: string) => Stripe | Promise<Stripe>,
    private readonly apiKey: () => Promise<string>,
    private readonly observe: (durationMs: number, ok: boolean) => void = () => undefined,
  ) {}

  /** Runs one SDK operation; Stripe's errors come out as DomainErrors with stable codes. */
  async call<T>(operation: (stripe: Stripe, options: CallOptions) => Promise<T>): Promise<T> {
    const apiKey = await this.apiKey().catch((error: unknown) => {
      // The secret store is down or throttling: the caller may retry, so a 503, not a 500.
      throw new ServiceUnavailableError('The payment provider\'s credentials could not be read; retry shortly.', 'secrets_unavailable', { retryAfterSeconds: 5, cause: error });
    });
    // One client for concurrent first calls; a failed build (the SDK's module could not load) is retried by the next call.
    this.client ??= Promise.resolve(this.createClient(apiKey)).catch((error: unknown) => {
      this.client = undefined;
      throw error;
    });
    const client = await this.client;
    const started = performance.now();
    let ok = false;
    try {
      const result = await operation(client, { apiKey });
      ok = true;
      return result;
    } catch (error) {
      // "No such object" and declines are answers, not a sign that Stripe is failing.
      ok = isResourceMissing(error) || (error instanceof Error && 'type' in error && error.type === 'StripeCardError');
      throw mapStripeError(error);
    } finally {
      this.observe(performance.now() - started, ok);
    }
  }

  /** Like `call`, but "no such object" is an answer (undefined), not an error. */
  async callOrUndefined<T>(operation: (stripe: Stripe, options: CallOptions) => Promise<T | undefined>): Promise<T | undefined> {
    return this.call(async (stripe, options) => {
      try {
        return await operation(stripe, options);
      } catch (error) {
        if (isResourceMissing(error)) return undefined;
        throw error;
      }
    });
  }
}

export function isResourceMissing(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'resource_missing';
}

/** Stripe's enums are open-ended; a value this code does not know is an error, not a silent guess. */
export function narrow<T extends string>(value: string, allowed: readonly T[], what: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new Error(`unexpected ${what} from Stripe: ${value}`);
}

export function idOf(value: string | { id: string } | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  return typeof value === 'string' ? value : value.id;
}
