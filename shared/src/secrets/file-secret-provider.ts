import { readFile } from 'node:fs/promises';
import { CachingSecretProvider } from './caching-secret-provider';
import { SecretNotFoundError } from './secret-provider';

/**
 * The local stack's secret store: a git-ignored JSON file mapping secret id to value (plain or
 * `{"key": "…"}`). Re-read after the TTL, like Secrets Manager, so a regenerated file is picked up.
 */
export class FileSecretProvider extends CachingSecretProvider {
  constructor(path: string, ttlMs: number, now?: () => number) {
    super(
      async (secretId) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(await readFile(path, 'utf8'));
        } catch (error) {
          throw new SecretNotFoundError(secretId, `cannot read ${path} (${error instanceof Error ? error.message : String(error)})`);
        }
        const value = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>)[secretId] : undefined;
        if (typeof value === 'string') return value;
        if (value !== null && typeof value === 'object') return JSON.stringify(value);
        throw new SecretNotFoundError(secretId, `not present in ${path}`);
      },
      ttlMs,
      now,
    );
  }
}
