import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AwsSecretsManagerSecretProvider } from '@shared/secrets/aws-secrets-manager-provider';
import { FileSecretProvider } from '@shared/secrets/file-secret-provider';
import type { SecretProvider } from '@shared/secrets/secret-provider';

interface SecretsConfig {
  AWS_REGION: string;
  SECRETS_SOURCE: 'aws' | 'file';
  SECRETS_FILE: string | undefined;
  SECRET_CACHE_TTL_SECONDS: number;
  AWS_ENDPOINT_URL_SECRETS_MANAGER: string | undefined;
}

/** Secrets Manager in AWS; the git-ignored local secrets file in the dev stack. */
export function createSecretProvider(config: SecretsConfig): SecretProvider {
  const ttlMs = config.SECRET_CACHE_TTL_SECONDS * 1000;
  if (config.SECRETS_SOURCE === 'file') {
    if (!config.SECRETS_FILE) throw new Error('SECRETS_FILE is required when SECRETS_SOURCE=file');
    return new FileSecretProvider(config.SECRETS_FILE, ttlMs);
  }
  const client = new SecretsManagerClient({
    region: config.AWS_REGION,
    ...(config.AWS_ENDPOINT_URL_SECRETS_MANAGER ? { endpoint: config.AWS_ENDPOINT_URL_SECRETS_MANAGER } : {}),
  });
  return new AwsSecretsManagerSecretProvider(client, ttlMs);
}
