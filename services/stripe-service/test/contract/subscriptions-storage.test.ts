import { DynamoSubscriptionRepository } from '../../src/adapters/dynamodb/dynamo-subscription-repository';
import { InMemorySubscriptionRepository } from '../fakes/in-memory-subscription-repository';
import { DYNAMO_EMULATORS, withTable } from './dynamo-backends';
import { subscriptionRepositoryContract } from './subscription-repository.contract';

subscriptionRepositoryContract('in-memory', async () => ({ subject: new InMemorySubscriptionRepository(), teardown: async () => {} }));
for (const emulator of DYNAMO_EMULATORS) {
  subscriptionRepositoryContract(
    `DynamoDB on ${emulator.name}`,
    withTable(emulator.start, 'subscriptions', 'contract-subscriptions', (client) => new DynamoSubscriptionRepository(client, 'contract-subscriptions')),
  );
}
