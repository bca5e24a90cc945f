import type { SecretCacheTtlReader } from '../../src/application/ports/secret-cache-ttl-reader';
import { secretCacheTtlSecondsOf } from '../../src/config';

/** Deployed functions' environments in a map, read by the rule the functions apply. */
export class InMemorySecretCacheTtlReader implements SecretCacheTtlReader {
  readonly environments = new Map<string, Record<string, string>>();
  reads = 0;

  async secretCacheTtlSecondsOf(functionName: string): Promise<number | undefined> {
    this.reads += 1;
    const environment = this.environments.get(functionName);
    return environment === undefined ? undefined : secretCacheTtlSecondsOf(environment);
  }
}
