import type { BeginResult, IdempotencyStore, StoredResponse } from '../../src/application/ports/idempotency-store';

interface Row {
  status: 'INPROGRESS' | 'COMPLETED';
  payloadHash: string;
  operationId: string;
  inProgressExpiry: number;
  ttl: number;
  response: StoredResponse | undefined;
}

/** For unit tests of use cases; the IdempotencyStore contract suite proves it behaves like the DynamoDB adapter. */
export class InMemoryIdempotencyStore implements IdempotencyStore {
  private readonly rows = new Map<string, Row>();

  async begin(input: { key: string; payloadHash: string; operationId: string; nowMs: number; inProgressMs: number; ttlSeconds: number }): Promise<BeginResult> {
    const nowSeconds = Math.floor(input.nowMs / 1000);
    const existing = this.rows.get(input.key);
    if (!existing || existing.ttl <= nowSeconds) {
      this.rows.set(input.key, {
        status: 'INPROGRESS', payloadHash: input.payloadHash, operationId: input.operationId,
        inProgressExpiry: input.nowMs + input.inProgressMs, ttl: nowSeconds + input.ttlSeconds, response: undefined,
      });
      return { kind: 'acquired', operationId: input.operationId };
    }
    if (existing.payloadHash !== input.payloadHash) return { kind: 'mismatch' };
    if (existing.status === 'COMPLETED' && existing.response) return { kind: 'completed', response: structuredClone(existing.response) };
    if (existing.inProgressExpiry > input.nowMs) return { kind: 'in_progress' };
    existing.inProgressExpiry = input.nowMs + input.inProgressMs;
    return { kind: 'acquired', operationId: existing.operationId };
  }

  async complete(key: string, operationId: string, response: StoredResponse): Promise<void> {
    const row = this.rows.get(key);
    if (!row || row.operationId !== operationId) throw new Error(`no idempotency record ${key} for operation ${operationId}`);
    row.status = 'COMPLETED';
    row.response = structuredClone(response);
  }

  async release(key: string, operationId: string): Promise<void> {
    const row = this.rows.get(key);
    if (row && row.operationId === operationId && row.status === 'INPROGRESS') row.inProgressExpiry = 0;
  }
}
