/** What the caller was answered the first time, kept for replay: a result, or an expected failure. */
export type StoredResponse =
  | { outcome: 'success'; status: number; body: unknown }
  | { outcome: 'failure'; error: { kind: string; code: string; message: string; details: Record<string, unknown> | undefined } };

export type BeginResult =
  /** This request owns the key: run the operation with this operation id (kept across a takeover, so retries repeat the same work). */
  | { kind: 'acquired'; operationId: string }
  | { kind: 'completed'; response: StoredResponse }
  | { kind: 'in_progress' }
  | { kind: 'mismatch' };

/**
 * Records of client idempotency keys (the Powertools pattern): a conditional put takes the key, a
 * payload hash ties it to one request body, an in-progress record expires so a crashed request
 * does not hold its key forever, and the first response is kept for replay until the record expires.
 */
export interface IdempotencyStore {
  /** Takes the key for this payload, or says why not. `operationId` is used only when the key is new. */
  begin(input: { key: string; payloadHash: string; operationId: string; nowMs: number; inProgressMs: number; ttlSeconds: number }): Promise<BeginResult>;
  /** Keeps the response for replay. */
  complete(key: string, operationId: string, response: StoredResponse): Promise<void>;
  /** Gives the key up after a failure that may be retried; the operation id stays, so the retry repeats the same work. */
  release(key: string, operationId: string): Promise<void>;
}

export const IDEMPOTENCY_STORE = Symbol.for('IdempotencyStore');
