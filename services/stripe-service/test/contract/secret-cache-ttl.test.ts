import { LambdaClient } from '@aws-sdk/client-lambda';
import { deployMotoFunction, startMoto, TEST_CREDENTIALS, TEST_REGION } from '../../../../scripts/testing/emulators';
import { LambdaSecretCacheTtlReader } from '../../src/adapters/aws/lambda-secret-cache-ttl-reader';
import { InMemorySecretCacheTtlReader } from '../fakes/in-memory-secret-cache-ttl-reader';
import { secretCacheTtlReaderContract } from './secret-cache-ttl-reader.contract';

secretCacheTtlReaderContract('in-memory', async () => {
  const reader = new InMemorySecretCacheTtlReader();
  return { reader, deploy: async (name, environment) => void reader.environments.set(name, environment), teardown: async () => {} };
});

secretCacheTtlReaderContract('Lambda on moto', async () => {
  const moto = await startMoto();
  const client = new LambdaClient({ endpoint: moto.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });
  return {
    reader: new LambdaSecretCacheTtlReader(client),
    deploy: (name, environment) => deployMotoFunction(moto.endpoint, name, environment),
    teardown: async () => {
      client.destroy();
      await moto.stop();
    },
  };
});
