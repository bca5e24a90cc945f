import { loadResources } from '../../../../scripts/lib/resources';
import { dynamoClient, ensureTable } from '../../../../scripts/testing/emulators';
import { DynamoCatalogRepository } from '../../src/adapters/dynamodb/dynamo-catalog-repository';
import { InMemoryCatalogRepository } from '../fakes/in-memory-catalog-repository';
import { catalogRepositoryContract, putInto } from './catalog-repository.contract';
import { DYNAMO_EMULATORS } from './dynamo-backends';

const resources = loadResources();
const definition = (id: string) => {
  const table = resources.tables.find((t) => t.id === id);
  if (!table) throw new Error(`resources.json has no ${id} table`);
  return table;
};

// The fake the use-case unit tests use must behave like the adapter: with its default page and with pages of two.
for (const pageSize of [undefined, 2]) {
  catalogRepositoryContract(pageSize === undefined ? 'in-memory' : `in-memory, pages of ${pageSize}`, async () => {
    const repository = new InMemoryCatalogRepository(pageSize === undefined ? {} : { pageSize });
    return { repository, put: async (table, item) => repository.put(table, item), teardown: async () => {} };
  });
}

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
