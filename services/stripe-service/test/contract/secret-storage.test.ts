import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { startMoto, TEST_CREDENTIALS, TEST_REGION } from '../../../../scripts/testing/emulators';
import { AwsSecretsManagerSecretStore } from '../../src/adapters/secrets/aws-secrets-manager-secret-store';
import { InMemorySecretStore } from '../fakes/in-memory-secret-store';
import { secretStoreContract } from './secret-store.contract';

secretStoreContract('in-memory', async () => ({ store: new InMemorySecretStore(), teardown: async () => {} }));

let shared: { client: SecretsManagerClient; stop: () => Promise<void> } | undefined;
async function motoSecretsManager(): Promise<SecretsManagerClient> {
  if (!shared) {
    const moto = await startMoto();
    const client = new SecretsManagerClient({ endpoint: moto.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });
    shared = { client, stop: async () => {
      client.destroy();
      await moto.stop();
    } };
  }
  return shared.client;
}
afterAll(async () => shared?.stop());

secretStoreContract('Secrets Manager on moto', async () => ({ store: new AwsSecretsManagerSecretStore(await motoSecretsManager()), teardown: async () => {} }));

describe('AwsSecretsManagerSecretStore', () => {
  it('gives a secret created without a value (as before its first deploy) its first value', async () => {
    const client = await motoSecretsManager();
    const store = new AwsSecretsManagerSecretStore(client);
    await client.send(new CreateSecretCommand({ Name: 'empty-stripe-webhook-secret' }));
    expect(await store.read('empty-stripe-webhook-secret')).toBeUndefined();
    await store.write('empty-stripe-webhook-secret', 'whsec_abc', 'signing secret');
    expect(await store.read('empty-stripe-webhook-secret')).toBe('whsec_abc');
  }, 60_000);
});
