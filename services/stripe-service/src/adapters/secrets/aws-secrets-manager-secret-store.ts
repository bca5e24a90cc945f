import { CreateSecretCommand, GetSecretValueCommand, PutSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretStore } from '../../application/ports/secret-store';

const isNotFound = (error: unknown) => error instanceof Error && error.name === 'ResourceNotFoundException';

/** Secrets Manager, read and written as the operator tools need: the current version, uncached. */
export class AwsSecretsManagerSecretStore implements SecretStore {
  constructor(private readonly client: SecretsManagerClient) {}

  async read(secretId: string): Promise<string | undefined> {
    try {
      const result = await this.client.send(new GetSecretValueCommand({ SecretId: secretId }));
      if (result.SecretString !== undefined) return result.SecretString;
      return result.SecretBinary === undefined ? undefined : Buffer.from(result.SecretBinary).toString('utf8');
    } catch (error) {
      // Also what a secret created without a value answers: it has no current version to read.
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async write(secretId: string, value: string, description: string): Promise<void> {
    try {
      await this.client.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: value }));
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await this.client.send(new CreateSecretCommand({ Name: secretId, SecretString: value, Description: description }));
    }
  }
}
