/** Reads secret values (API keys, webhook and token signing secrets) by their id. */
export interface SecretProvider {
  /** The secret's value; a JSON secret `{"key": "…"}` is unwrapped to its `key`. */
  getSecret(secretId: string): Promise<string>;
}

export const SECRET_PROVIDER = Symbol.for('SecretProvider');

/**
 * Secrets Manager values may be a plain string or JSON `{"key": "…"}` (the console's key/value
 * form). Anything else that parses as JSON is kept as written, so a secret that happens to be JSON
 * is not mangled.
 */
export function unwrapSecretValue(raw: string): string {
  const trimmed = raw.trim();
  if (!trimmed.startsWith('{')) return trimmed;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    if (parsed !== null && typeof parsed === 'object' && 'key' in parsed && typeof parsed.key === 'string') {
      return parsed.key.trim();
    }
  } catch {
    // Not JSON after all: a plain secret that starts with a brace.
  }
  return trimmed;
}

export class SecretNotFoundError extends Error {
  constructor(readonly secretId: string, reason: string) {
    super(`Secret ${secretId} could not be read: ${reason}`);
    this.name = 'SecretNotFoundError';
  }
}
