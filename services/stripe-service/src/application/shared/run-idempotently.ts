import { createHash } from 'node:crypto';
import { DomainError, ValidationError, type ErrorKind } from '@shared/errors/domain-error';
import type { Clock } from '../ports/clock';
import type { IdGenerator } from '../ports/id-generator';
import type { IdempotencyStore, StoredResponse } from '../ports/idempotency-store';

export interface IdempotencyOptions {
  /** How long a request holds its key; longer than the function may run, so a live request is never overtaken. */
  inProgressMs: number;
  /** How long a concurrent request with the same key waits for the first before answering 409. */
  waitMs: number;
  pollMs: number;
  /** How long a key and its response are kept (Stripe keeps its own for 24 hours). */
  ttlSeconds: number;
}

const DEFAULTS: IdempotencyOptions = { inProgressMs: 20_000, waitMs: 3_000, pollMs: 50, ttlSeconds: 24 * 3600 };

export class IdempotencyKeyMismatchError extends DomainError {
  constructor() {
    super('idempotency_mismatch', 'idempotency_key_reused', 'This Idempotency-Key was used with a different request; use a new key for a new request.');
  }
}

export class IdempotencyKeyInProgressError extends DomainError {
  constructor() {
    super('conflict', 'idempotency_key_in_progress', 'A request with this Idempotency-Key is still being processed; retry shortly.', { retryAfterSeconds: 1 });
  }
}

/** Failures worth replaying: the same request would fail the same way. Unavailability is not: a retry may succeed. */
const REPLAYED_KINDS: ReadonlySet<ErrorKind> = new Set(['validation', 'not_found', 'conflict', 'payment_required', 'forbidden']);

export interface IdempotentRequest {
  userId: string;
  /** The client's Idempotency-Key, if it sent one. */
  key: string | undefined;
  /** Which operation, e.g. `POST /stripe/payment-intent/{id}/refund` plus its path parameters. */
  operation: string;
  /** The validated input; its hash ties the key to this request. */
  payload: unknown;
}

/**
 * Runs an operation at most once per client key and user: the same key with the same request
 * answers the first result (success or expected failure) without running again; with another
 * request, 422; while the first still runs, the second waits for it, then gets 409 with
 * Retry-After. The operation receives an operation id that is the same for every attempt under
 * one key (a takeover after a crash included), to derive Stripe keys from.
 */
export class RunIdempotently {
  private readonly options: IdempotencyOptions;

  constructor(
    private readonly store: IdempotencyStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    options: Partial<IdempotencyOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  async run(request: IdempotentRequest, operation: (operationId: string) => Promise<{ status: number; body: unknown }>): Promise<{ status: number; body: unknown; replayed: boolean }> {
    if (request.key === undefined) return { ...(await operation(this.ids.timeOrderedId())), replayed: false };
    if (!/^[\x21-\x7e]{1,255}$/.test(request.key)) {
      throw new ValidationError('The Idempotency-Key header must be 1 to 255 printable ASCII characters.', [{ field: 'Idempotency-Key', message: 'invalid' }], 'idempotency_key_invalid');
    }
    const key = digest([request.userId, request.key]);
    const payloadHash = digest([request.operation, canonical(request.payload)]);
    const deadline = this.clock.now() + this.options.waitMs;
    for (;;) {
      const begun = await this.store.begin({
        key, payloadHash, operationId: this.ids.timeOrderedId(), nowMs: this.clock.now(), inProgressMs: this.options.inProgressMs, ttlSeconds: this.options.ttlSeconds,
      });
      switch (begun.kind) {
        case 'mismatch':
          throw new IdempotencyKeyMismatchError();
        case 'completed':
          return replay(begun.response);
        case 'in_progress':
          if (this.clock.now() >= deadline) throw new IdempotencyKeyInProgressError();
          await this.clock.sleep(this.options.pollMs);
          continue;
        case 'acquired':
          return this.execute(key, begun.operationId, operation);
      }
    }
  }

  private async execute(key: string, operationId: string, operation: (operationId: string) => Promise<{ status: number; body: unknown }>) {
    let result: { status: number; body: unknown };
    try {
      result = await operation(operationId);
    } catch (error) {
      if (error instanceof DomainError && REPLAYED_KINDS.has(error.kind)) {
        await this.store.complete(key, operationId, { outcome: 'failure', error: { kind: error.kind, code: error.code, message: error.message, details: error.details } });
      } else {
        // Best effort: if this fails too, the in-progress record still expires.
        await this.store.release(key, operationId).catch(() => undefined);
      }
      throw error;
    }
    await this.store.complete(key, operationId, { outcome: 'success', status: result.status, body: result.body });
    return { ...result, replayed: false };
  }
}

function replay(response: StoredResponse): { status: number; body: unknown; replayed: boolean } {
  if (response.outcome === 'success') return { status: response.status, body: response.body, replayed: true };
  const { kind, code, message, details } = response.error;
  throw new DomainError(kind as ErrorKind, code, message, { details: { ...(details ?? {}), replayed: true } });
}

function digest(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
}

/** JSON with object keys sorted, so the same body with its fields in another order is the same request. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
