import type { Clock } from '../ports/clock';
import type { DependencyProbe } from '../ports/dependency-probe';

export interface SharedProbeOptions {
  /** How long a success is believed: short, so an outage shows within seconds. */
  okMs: number;
  /** How long a failure is believed: a load balancer probing a failing Stripe must not become load on it. */
  failedMs: number;
}

/**
 * Wraps a probe that costs something (a Stripe API call, counted against the account's rate
 * limit): concurrent checks share one call in flight, and its answer, success or failure, is reused
 * for a short while. The health endpoint needs no token, so without this every anonymous request
 * would reach Stripe.
 */
export class SharedProbe implements DependencyProbe {
  readonly name: string;
  private inFlight: Promise<void> | undefined;
  private last: { until: number; error: unknown } | undefined;

  constructor(
    private readonly inner: DependencyProbe,
    private readonly clock: Clock,
    private readonly options: SharedProbeOptions = { okMs: 5_000, failedMs: 2_000 },
  ) {
    this.name = inner.name;
  }

  async check(): Promise<void> {
    const last = this.last;
    if (last && this.clock.now() < last.until) {
      if (last.error !== undefined) throw last.error;
      return;
    }
    this.inFlight ??= this.run().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async run(): Promise<void> {
    try {
      await this.inner.check();
      this.last = { until: this.clock.now() + this.options.okMs, error: undefined };
    } catch (error) {
      this.last = { until: this.clock.now() + this.options.failedMs, error: error ?? new Error('probe failed') };
      throw error;
    }
  }
}
