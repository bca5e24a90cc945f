// Idempotent requests as Stripe documents them: the first response for a key (errors and 500s
// included) is saved and replayed; a key reused with other parameters is refused; a key whose
// first request is still running answers 409; keys expire after 24 hours.
import type { Clock } from './clock';
import { StripeApiError } from './errors';

export const IDEMPOTENCY_KEY_TTL_SECONDS = 24 * 60 * 60;

export interface SavedResponse {
  status: number;
  body: string;
  headers: Record<string, string>;
}

export interface IdempotencyRecord {
  /** Who sent it (keys are scoped to the API key) and the key itself. */
  scope: string;
  key: string;
  fingerprint: string;
  createdAt: number;
  response?: SavedResponse;
}

export type IdempotencyDecision =
  | { kind: 'execute'; record: IdempotencyRecord }
  | { kind: 'replay'; response: SavedResponse };

export class IdempotencyStore {
  private records = new Map<string, IdempotencyRecord>();

  constructor(private readonly clock: Clock) {}

  private id(scope: string, key: string): string {
    return `${scope}\u0000${key}`;
  }

  /**
   * Claims a key for a request, synchronously so two concurrent requests can never both execute.
   */
  begin(scope: string, key: string, fingerprint: string): IdempotencyDecision {
    this.expire();
    const existing = this.records.get(this.id(scope, key));
    if (existing) {
      if (existing.fingerprint !== fingerprint) {
        throw new StripeApiError(
          400,
          {
            type: 'idempotency_error',
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
          },
          { beforeExecution: true },
        );
      }
      if (!existing.response) {
        throw new StripeApiError(
          409,
          {
            type: 'idempotency_error',
            code: 'idempotency_key_in_use',
            message: `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
          },
          { beforeExecution: true },
        );
      }
      return { kind: 'replay', response: existing.response };
    }
    const record: IdempotencyRecord = { scope, key, fingerprint, createdAt: this.clock.globalNowSeconds() };
    this.records.set(this.id(scope, key), record);
    return { kind: 'execute', record };
  }

  complete(record: IdempotencyRecord, response: SavedResponse): void {
    record.response = response;
  }

  /** Forgets a key whose request was refused before executing, so a corrected retry can use it. */
  release(record: IdempotencyRecord): void {
    const id = this.id(record.scope, record.key);
    if (this.records.get(id) === record) this.records.delete(id);
  }

  expire(): void {
    const cutoff = this.clock.globalNowSeconds() - IDEMPOTENCY_KEY_TTL_SECONDS;
    for (const [id, record] of this.records) {
      if (record.createdAt <= cutoff) this.records.delete(id);
    }
  }

  /** Completed records only: an in-flight claim does not survive a restart. */
  snapshot(): IdempotencyRecord[] {
    return [...this.records.values()].filter((r) => r.response !== undefined);
  }

  restore(records: IdempotencyRecord[]): void {
    this.records = new Map(records.map((r) => [this.id(r.scope, r.key), r]));
  }
}
