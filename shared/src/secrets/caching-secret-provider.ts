import { registerSecret } from '../observability/redaction';
import type { SecretProvider } from './secret-provider';
import { unwrapSecretValue } from './secret-provider';

/** Fetches a secret's raw string value from its store. */
export type SecretFetcher = (secretId: string) => Promise<string>;

/**
 * Caches each secret for `ttlMs` so a warm function reads Secrets Manager once per TTL, while a
 * rotated secret still reaches every function within the TTL. Concurrent first reads share one fetch.
 */
export class CachingSecretProvider implements SecretProvider {
  private readonly cache = new Map<string, { value: Promise<string>; expiresAt: number }>();

  constructor(
    private readonly fetch: SecretFetcher,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async getSecret(secretId: string): Promise<string> {
    const cached = this.cache.get(secretId);
    if (cached && cached.expiresAt > this.now()) return cached.value;
    const value = this.fetch(secretId).then((raw) => {
      const secret = unwrapSecretValue(raw);
      registerSecret(secret);
      return secret;
    });
    this.cache.set(secretId, { value, expiresAt: this.now() + this.ttlMs });
    try {
      return await value;
    } catch (error) {
      // A failed read must not be cached for the whole TTL.
      this.cache.delete(secretId);
      throw error;
    }
  }
}
