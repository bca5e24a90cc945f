import { loadResources } from '../../../../scripts/lib/resources';
import { dynamoClient, ensureTable } from '../../../../scripts/testing/emulators';
import { DynamoCatalogRepository } from '../../src/adapters/dynamodb/dynamo-catalog-repository';
import { catalogRepositoryContract, putInto } from './catalog-repository.contract';
import { DYNAMO_EMULATORS } from './dynamo-backends';

const resources = loadResources();
const definition = (id: string) => {
  const table = resources.tables.find((t) => t.id === id);
  if (!table) throw new Error(`resources.json has no ${id} table`);
  return table;
};

for (const emulator of DYNAMO_EMULATORS) {
  catalogRepositoryContract(`DynamoDB on ${emulator.name}`, async () => {
    const started = await emulator.start();
    const client = dynamoClient(started.endpoint);
    const tables = { products: 'contract-products', prices: 'contract-prices' };
    await ensureTable(client, definition('products'), tables.products);
    await ensureTable(client, definition('prices'), tables.prices);
    return {
      repository: new DynamoCatalogRepository(client, tables.products, tables.prices),
      put: putInto(client, tables),
      teardown: async () => {
        client.destroy();
        await started.stop();
      },
    };
  });
}
