// The simulator's shared state and services, handed to every resource handler.
import { Clock } from './clock';
import { EventBus } from './events';
import { Faults } from './faults';
import { IdempotencyStore } from './idempotency';
import { RateLimiter, type RateLimitOptions } from './rate-limit';
import { Router } from './router';
import { Store } from './store';

export interface CoreOptions {
  apiKey?: string;
  now?: () => number;
  rateLimit?: RateLimitOptions;
  /** Seconds before a new object shows up in search results (Stripe: up to a minute). */
  searchLagSeconds?: number;
}

export class SimulatorCore {
  readonly clock: Clock;
  readonly store = new Store();
  readonly events: EventBus;
  readonly idempotency: IdempotencyStore;
  readonly router = new Router();
  readonly faults = new Faults();
  readonly rateLimiter: RateLimiter;
  /** Public base URL, known once the server listens. */
  baseUrl = '';

  constructor(readonly options: CoreOptions) {
    this.clock = new Clock(options.now ?? Date.now);
    this.events = new EventBus(this.store, this.clock);
    this.idempotency = new IdempotencyStore(this.clock);
    // The base clock, not simulated time: a rate limit is about requests per real second, and a test
    // that injects the base clock decides which second each request falls in.
    this.rateLimiter = new RateLimiter(options.rateLimit, options.now ?? Date.now);
  }

  private readonly requestListeners = new Set<(method: string) => void>();

  /** Called once a request has run (persistence saves state here). */
  onAfterRequest(listener: (method: string) => void): () => void {
    this.requestListeners.add(listener);
    return () => this.requestListeners.delete(listener);
  }

  afterRequest(method: string): void {
    for (const l of this.requestListeners) l(method);
  }

  /** Objects created after this time (seconds) are not searchable yet. */
  searchCutoff(): number | undefined {
    const lag = this.options.searchLagSeconds ?? 0;
    // Without lag everything is searchable at once, including objects stamped with a test clock's
    // time ahead of the simulator's.
    return lag > 0 ? this.clock.globalNowSeconds() - lag : undefined;
  }

  /** Stripe accepts a key when it matches the configured one, or any test key when none is set. */
  acceptsKey(key: string): boolean {
    if (this.options.apiKey !== undefined) return key === this.options.apiKey;
    return key.startsWith('sk_test_') || key.startsWith('rk_test_');
  }
}
