import { randomUUID } from 'node:crypto';
import type { SecretStore } from '../../src/application/ports/secret-store';

/** What every SecretStore must do. */
export function secretStoreContract(name: string, setup: () => Promise<{ store: SecretStore; teardown: () => Promise<void> }>) {
  describe(`SecretStore contract: ${name}`, () => {
    let started: Awaited<ReturnType<typeof setup>>;
    beforeAll(async () => {
      started = await setup();
    }, 60_000);
    afterAll(async () => started?.teardown());
    const id = () => `contract-${randomUUID()}-stripe-webhook-secret`;

    it('reads undefined for a secret that does not exist', async () => {
      expect(await started.store.read(id())).toBeUndefined();
    });

    it('creates a secret on the first write and reads back exactly what was written', async () => {
      const secretId = id();
      await started.store.write(secretId, 'whsec_first,whsec_second', 'signing secrets');
      expect(await started.store.read(secretId)).toBe('whsec_first,whsec_second');
    });

    it('replaces the current value on later writes, JSON kept as written', async () => {
      const secretId = id();
      await started.store.write(secretId, 'unset', 'placeholder');
      await started.store.write(secretId, '{"key":"whsec_new"}', 'signing secret');
      expect(await started.store.read(secretId)).toBe('{"key":"whsec_new"}');
    });
  });
}
