// Fault injection for testing clients: the next N matching requests (or a share of them) answer
// 429 or 500, hang, drop the connection before executing, or drop it after the object was
// created (the response is lost, the idempotent result is saved: a retry with the same key
// replays it).

export type FaultKind =
  /** 429 `rate_limit`, nothing executed. */
  | 'rate_limit'
  /** 500 `api_error`, nothing executed. */
  | 'server_error'
  /** No answer until the client gives up (or the simulator stops). */
  | 'timeout'
  /** Connection closed before the request runs. */
  | 'drop_before'
  /**
   * The request runs (and its idempotent result is saved), then the connection is closed; a replay
   * of a saved result is dropped the same way.
   */
  | 'drop_after'
  /** The request runs slowly (`delayMs` while executing), e.g. to overlap two requests with one idempotency key. */
  | 'slow';

export const FAULT_KINDS: readonly FaultKind[] = ['rate_limit', 'server_error', 'timeout', 'drop_before', 'drop_after', 'slow'];

export interface FaultRule {
  kind: FaultKind;
  /** How many matching requests it affects; unlimited when unset (then `probability` usually is). */
  count?: number;
  /** Chance (0..1) that a matching request is affected; 1 when unset. */
  probability?: number;
  /** Only requests with this method (e.g. 'POST'). */
  method?: string;
  /** Only paths starting with this prefix (e.g. '/v1/payment_intents'). */
  path?: string;
  /** For `slow`: how long the request takes (default 1000 ms). */
  delayMs?: number;
  /**
   * For `slow`, in-process only: the request runs once this settles, instead of after `delayMs`,
   * so a test decides when it finishes (e.g. to hold it while a second request with its key arrives).
   */
  until?: PromiseLike<unknown>;
}

export interface ActiveFault extends FaultRule {
  id: string;
  /** Requests it has affected so far. */
  hits: number;
}

export interface FaultControls {
  /** Adds a rule; returns its id. */
  inject(rule: FaultRule): string;
  remove(id: string): void;
  clear(): void;
  list(): ActiveFault[];
}

export class Faults implements FaultControls {
  private rules: ActiveFault[] = [];
  private seq = 0;

  constructor(private readonly random: () => number = Math.random) {}

  inject(rule: FaultRule): string {
    if (!FAULT_KINDS.includes(rule.kind)) throw new RangeError(`unknown fault kind ${String(rule.kind)}`);
    if (rule.count !== undefined && (!Number.isInteger(rule.count) || rule.count < 1)) throw new RangeError('count must be a positive integer');
    if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1)) throw new RangeError('probability must be between 0 and 1');
    if (rule.delayMs !== undefined && !(Number.isFinite(rule.delayMs) && rule.delayMs >= 0)) throw new RangeError('delayMs must be a non-negative number');
    const id = `fault_${++this.seq}`;
    this.rules.push({ ...rule, id, hits: 0 });
    return id;
  }

  remove(id: string): void {
    this.rules = this.rules.filter((r) => r.id !== id);
  }

  clear(): void {
    this.rules = [];
  }

  list(): ActiveFault[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** The fault to apply to this request, if any; consumes one use of a counted rule. */
  take(method: string, path: string): ActiveFault | undefined {
    for (const rule of this.rules) {
      if (rule.method !== undefined && rule.method.toUpperCase() !== method) continue;
      if (rule.path !== undefined && !path.startsWith(rule.path)) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      rule.hits++;
      if (rule.count !== undefined && rule.hits >= rule.count) this.remove(rule.id);
      return { ...rule };
    }
    return undefined;
  }
}
