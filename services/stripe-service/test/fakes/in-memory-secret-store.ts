import type { SecretStore } from '../../src/application/ports/secret-store';

/** Secrets in a map; `writes` lets a test see that nothing was written. */
export class InMemorySecretStore implements SecretStore {
  readonly values = new Map<string, string>();
  writes = 0;

  async read(secretId: string): Promise<string | undefined> {
    return this.values.get(secretId);
  }

  async write(secretId: string, value: string): Promise<void> {
    this.writes += 1;
    this.values.set(secretId, value);
  }
}
