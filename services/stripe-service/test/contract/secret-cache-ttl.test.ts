import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { createZip } from '../../../../scripts/lib/zip';
import { createMotoRole, startMoto, TEST_CREDENTIALS, TEST_REGION } from '../../../../scripts/testing/emulators';
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
  const role = await createMotoRole(moto.endpoint, 'secret-cache-ttl-contract');
  const code = createZip([{ name: 'index.mjs', data: Buffer.from('export const handler = async () => ({});\n') }]);
  return {
    reader: new LambdaSecretCacheTtlReader(client),
    deploy: async (name, environment) => {
      await client.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs22.x', Role: role, Handler: 'index.handler', Code: { ZipFile: code }, Environment: { Variables: environment } }));
    },
    teardown: async () => {
      client.destroy();
      await moto.stop();
    },
  };
});
