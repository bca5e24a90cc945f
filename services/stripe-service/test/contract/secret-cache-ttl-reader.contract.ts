import { randomUUID } from 'node:crypto';
import type { SecretCacheTtlReader } from '../../src/application/ports/secret-cache-ttl-reader';

export interface SecretCacheTtlBackend {
  reader: SecretCacheTtlReader;
  /** Deploys a function of that name with that environment. */
  deploy(functionName: string, environment: Record<string, string>): Promise<void>;
  teardown(): Promise<void>;
}

/** What every SecretCacheTtlReader must do. */
export function secretCacheTtlReaderContract(name: string, setup: () => Promise<SecretCacheTtlBackend>) {
  describe(`SecretCacheTtlReader contract: ${name}`, () => {
    let backend: SecretCacheTtlBackend;
    beforeAll(async () => {
      backend = await setup();
    }, 60_000);
    afterAll(async () => backend?.teardown());
    const functionName = () => `contract-${randomUUID().slice(0, 8)}-webhook`;

    it('reads undefined for a function that is not deployed', async () => {
      expect(await backend.reader.secretCacheTtlSecondsOf(functionName())).toBeUndefined();
    });

    it('reads the SECRET_CACHE_TTL_SECONDS the function was deployed with', async () => {
      const fn = functionName();
      await backend.deploy(fn, { PROJECT_NAME: 'shop', SECRET_CACHE_TTL_SECONDS: '900' });
      expect(await backend.reader.secretCacheTtlSecondsOf(fn)).toBe(900);
    });

    it('reads the functions\' default, 300 s, when the variable is not set', async () => {
      const fn = functionName();
      await backend.deploy(fn, { PROJECT_NAME: 'shop' });
      expect(await backend.reader.secretCacheTtlSecondsOf(fn)).toBe(300);
    });

    it('refuses a value the functions would refuse at cold start', async () => {
      const fn = functionName();
      await backend.deploy(fn, { SECRET_CACHE_TTL_SECONDS: 'ten minutes' });
      await expect(backend.reader.secretCacheTtlSecondsOf(fn)).rejects.toThrow('SECRET_CACHE_TTL_SECONDS');
    });
  });
}
