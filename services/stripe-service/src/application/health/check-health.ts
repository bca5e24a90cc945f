import type { Clock } from '../ports/clock';
import type { DependencyProbe } from '../ports/dependency-probe';

export interface DependencyStatus {
  status: 'ok' | 'failed';
  latencyMs: number;
  error?: string;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  checks: Record<string, DependencyStatus>;
}

/** Checks every dependency in parallel, each bounded by a timeout so one hung dependency cannot hang the probe. */
export class CheckHealth {
  constructor(
    private readonly probes: readonly DependencyProbe[],
    private readonly clock: Clock,
    private readonly timeoutMs = 2_000,
  ) {}

  async execute(): Promise<HealthReport> {
    const entries = await Promise.all(
      this.probes.map(async (probe): Promise<[string, DependencyStatus]> => {
        const started = this.clock.now();
        let timer: ReturnType<typeof setTimeout> | undefined;
        try {
          await Promise.race([
            probe.check(),
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
            }),
          ]);
          return [probe.name, { status: 'ok', latencyMs: this.clock.now() - started }];
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          return [probe.name, { status: 'failed', latencyMs: this.clock.now() - started, error: reason }];
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    const checks = Object.fromEntries(entries);
    return { status: entries.every(([, s]) => s.status === 'ok') ? 'ok' : 'degraded', checks };
  }
}
