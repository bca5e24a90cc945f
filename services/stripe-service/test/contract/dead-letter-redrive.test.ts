import type { SQSClient } from '@aws-sdk/client-sqs';
import { SqsCopyRedriver } from '../../src/adapters/sqs/sqs-copy-redriver';
import { SqsMoveTaskRedriver } from '../../src/adapters/sqs/sqs-move-task-redriver';
import { SqsQueueDepthReader } from '../../src/adapters/sqs/sqs-queue-depth-reader';
import type { DeadLetterRedriver, RedriveMethod } from '../../src/application/ports/dead-letter-redriver';
import { SystemClock } from '../../src/adapters/system/system-clock';
import { sqsClient, startElasticMq, startFauxqs, startMoto, type Emulator } from '../../../../scripts/testing/emulators';
import { InMemoryQueues } from '../fakes/in-memory-dead-letter-queues';
import { createPair, drainQueue, putMessage } from '../support/sqs-queues';
import { deadLetterRedriverContract, queueDepthReaderContract, type RedriveSubject } from './dead-letter-redriver.contract';

function inMemory(method: RedriveMethod): () => Promise<RedriveSubject> {
  return async () => {
    const queues = new InMemoryQueues();
    let n = 0;
    return {
      redriver: queues.redriver(method),
      depths: queues,
      newPair: async () => {
        n += 1;
        return { id: `q${n}`, source: { url: `mem://q${n}`, arn: `arn:mem:q${n}` }, deadLetter: { url: `mem://q${n}-dlq`, arn: `arn:mem:q${n}-dlq` } };
      },
      put: async (url, message) => queues.put(url, message),
      drain: async (url) => queues.take(url),
      teardown: async () => {},
    };
  };
}

/**
 * One instance of each emulator for this file's suites (each suite makes queues of its own names):
 * ElasticMQ and moto take seconds to start. Stopped after the last suite.
 */
const started = new Map<() => Promise<Emulator>, Promise<Emulator>>();
afterAll(async () => {
  await Promise.all([...started.values()].map(async (emulator) => (await emulator).stop()));
});

function onSqs(start: () => Promise<Emulator>, redriver: (client: SQSClient) => DeadLetterRedriver): () => Promise<RedriveSubject> {
  return async () => {
    if (!started.has(start)) started.set(start, start());
    const emulator = await started.get(start)!;
    const client = sqsClient(emulator.endpoint);
    return {
      redriver: redriver(client),
      depths: new SqsQueueDepthReader(client),
      newPair: () => createPair(client, 'contract'),
      put: (url, message) => putMessage(client, url, message),
      drain: (url, expected) => drainQueue(client, url, expected),
      teardown: async () => client.destroy(),
    };
  };
}

const moveTask = (client: SQSClient) => new SqsMoveTaskRedriver(client, new SystemClock(), 100);
const copy = (client: SQSClient) => new SqsCopyRedriver(client, { waitTimeSeconds: 1 });

deadLetterRedriverContract({ name: 'in-memory', method: 'move_task', supports: true, setup: inMemory('move_task') });
deadLetterRedriverContract({ name: 'in-memory', method: 'receive_send_delete', supports: true, setup: inMemory('receive_send_delete') });
queueDepthReaderContract('in-memory', inMemory('receive_send_delete'));

const EMULATORS: { name: string; start: () => Promise<Emulator>; moveTasks: boolean }[] = [
  { name: 'ElasticMQ', start: startElasticMq, moveTasks: true },
  { name: 'fauxqs', start: startFauxqs, moveTasks: false },
  { name: 'moto', start: startMoto, moveTasks: false },
];
for (const emulator of EMULATORS) {
  deadLetterRedriverContract({ name: emulator.name, method: 'move_task', supports: emulator.moveTasks, setup: onSqs(emulator.start, moveTask) });
  deadLetterRedriverContract({ name: emulator.name, method: 'receive_send_delete', supports: true, setup: onSqs(emulator.start, copy) });
  queueDepthReaderContract(`SQS on ${emulator.name}`, onSqs(emulator.start, copy));
}
