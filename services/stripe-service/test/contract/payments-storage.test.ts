import { DynamoIdempotencyStore } from '../../src/adapters/dynamodb/dynamo-idempotency-store';
import { DynamoPaymentRepository } from '../../src/adapters/dynamodb/dynamo-payment-repository';
import { InMemoryIdempotencyStore } from '../fakes/in-memory-idempotency-store';
import { InMemoryPaymentRepository } from '../fakes/in-memory-payment-repository';
import { DYNAMO_EMULATORS, withTable } from './dynamo-backends';
import { idempotencyStoreContract } from './idempotency-store.contract';
import { paymentRepositoryContract } from './payment-repository.contract';

paymentRepositoryContract('in-memory', async () => ({ subject: new InMemoryPaymentRepository(), teardown: async () => {} }));
idempotencyStoreContract('in-memory', async () => ({ subject: new InMemoryIdempotencyStore(), teardown: async () => {} }));
for (const emulator of DYNAMO_EMULATORS) {
  paymentRepositoryContract(`DynamoDB on ${emulator.name}`, withTable(emulator.start, 'payments', 'contract-payments', (client) => new DynamoPaymentRepository(client, 'contract-payments')));
  idempotencyStoreContract(`DynamoDB on ${emulator.name}`, withTable(emulator.start, 'api_idempotency', 'contract-idempotency', (client) => new DynamoIdempotencyStore(client, 'contract-idempotency')));
}
