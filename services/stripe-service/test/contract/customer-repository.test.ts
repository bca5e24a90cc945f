import { loadResources } from '../../../../scripts/lib/resources';
import { dynamoClient, ensureTable, startDynalite, startMoto, type Emulator } from '../../../../scripts/testing/emulators';
import { DynamoCustomerRepository } from '../../src/adapters/dynamodb/dynamo-customer-repository';
import { InMemoryCustomerRepository } from '../fakes/in-memory-customer-repository';
import { customerRepositoryContract } from './customer-repository.contract';

const customersTable = loadResources().tables.find((t) => t.id === 'customers');
if (!customersTable) throw new Error('resources.json has no customers table');
const table = customersTable;

function onEmulator(start: () => Promise<Emulator>) {
  return async () => {
    const emulator = await start();
    const client = dynamoClient(emulator.endpoint);
    await ensureTable(client, table, 'contract-customers');
    return {
      repository: new DynamoCustomerRepository(client, 'contract-customers'),
      teardown: async () => {
        client.destroy();
        await emulator.stop();
      },
    };
  };
}

customerRepositoryContract('in-memory', async () => ({ repository: new InMemoryCustomerRepository(), teardown: async () => {} }));
customerRepositoryContract('DynamoDB on dynalite', onEmulator(startDynalite));
customerRepositoryContract('DynamoDB on moto', onEmulator(startMoto));
