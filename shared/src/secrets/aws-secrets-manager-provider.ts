import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CachingSecretProvider } from './caching-secret-provider';
import { SecretNotFoundError } from './secret-provider';

/** Secrets Manager, read at cold start and cached with a TTL. */
export class AwsSecretsManagerSecretProvider extends CachingSecretProvider {
  constructor(client: SecretsManagerClient, ttlMs: number, now?: () => number) {
    super(
      async (secretId) => {
        const result = await client.send(new GetSecretValueCommand({ SecretId: secretId })).catch((error: unknown) => {
          const name = error instanceof Error ? error.name : 'UnknownError';
          throw new SecretNotFoundError(secretId, name);
        });
        if (result.SecretString !== undefined) return result.SecretString;
        if (result.SecretBinary !== undefined) return Buffer.from(result.SecretBinary).toString('utf8');
        throw new SecretNotFoundError(secretId, 'the secret has no value');
      },
      ttlMs,
      now,
    );
  }
}
