import { GetFunctionConfigurationCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { SecretCacheTtlReader } from '../../application/ports/secret-cache-ttl-reader';
import { secretCacheTtlSecondsOf } from '../../config';

/** The time from the deployed function's own environment, so a stage's Terraform setting is what counts. */
export class LambdaSecretCacheTtlReader implements SecretCacheTtlReader {
  constructor(private readonly client: LambdaClient) {}

  async secretCacheTtlSecondsOf(functionName: string): Promise<number | undefined> {
    try {
      // $LATEST: what a deploy just applied, which new instances start with.
      const configuration = await this.client.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
      return secretCacheTtlSecondsOf(configuration.Environment?.Variables ?? {});
    } catch (error) {
      if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
      throw error;
    }
  }
}
