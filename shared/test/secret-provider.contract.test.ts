import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { startMoto, TEST_CREDENTIALS, TEST_REGION } from '../../scripts/testing/emulators';
import { AwsSecretsManagerSecretProvider } from '../src/secrets/aws-secrets-manager-provider';
import { FileSecretProvider } from '../src/secrets/file-secret-provider';
import { SecretNotFoundError, type SecretProvider } from '../src/secrets/secret-provider';

const SECRETS: Record<string, string> = {
  'proj-dev-stripe-secret-key': 'sk_test_plainvalue123',
  'proj-dev-stripe-webhook-secret': JSON.stringify({ key: 'whsec_jsonvalue456' }),
};

function secretProviderContract(name: string, setup: () => Promise<{ provider: SecretProvider; teardown: () => Promise<void> }>) {
  describe(`SecretProvider contract: ${name}`, () => {
    let provider: SecretProvider;
    let teardown: () => Promise<void>;
    beforeAll(async () => ({ provider, teardown } = await setup()));
    afterAll(async () => teardown());

    it('reads a plain string secret', async () => {
      await expect(provider.getSecret('proj-dev-stripe-secret-key')).resolves.toBe('sk_test_plainvalue123');
    });

    it('unwraps a JSON {"key": …} secret', async () => {
      await expect(provider.getSecret('proj-dev-stripe-webhook-secret')).resolves.toBe('whsec_jsonvalue456');
    });

    it('fails with SecretNotFoundError for an unknown secret, naming it but no value', async () => {
      const error = await provider.getSecret('proj-dev-missing').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SecretNotFoundError);
      expect((error as Error).message).toContain('proj-dev-missing');
      expect((error as Error).message).not.toContain('sk_test_plainvalue123');
    });
  });
}

secretProviderContract('local file', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'secrets-')), 'secrets.json');
  writeFileSync(file, JSON.stringify(SECRETS));
  return { provider: new FileSecretProvider(file, 60_000), teardown: async () => {} };
});

secretProviderContract('Secrets Manager on moto', async () => {
  const moto = await startMoto();
  const client = new SecretsManagerClient({ endpoint: moto.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });
  for (const [Name, SecretString] of Object.entries(SECRETS)) await client.send(new CreateSecretCommand({ Name, SecretString }));
  return {
    provider: new AwsSecretsManagerSecretProvider(client, 60_000),
    teardown: async () => {
      client.destroy();
      await moto.stop();
    },
  };
});
