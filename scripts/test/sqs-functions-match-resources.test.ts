// Each SQS-fed function counts its last delivery (dead-lettered) and, for the events worker, turns
// "not yet" into "permanent" on it: its maxReceiveCount must be its queue's redrive policy.
import { loadHandler } from '../dev-stack/lambda-runtime';
import { loadResources } from '../lib/resources';

describe('SQS-fed functions and their queues in resources.json', () => {
  const resources = loadResources();
  const fed = resources.functions.filter((fn) => fn.queue);

  it('has every queue-fed function use its queue\'s maxReceiveCount', async () => {
    expect(fed.map((fn) => fn.id).sort()).toEqual(['events-worker', 'notifications']);
    for (const fn of fed) {
      const queue = resources.queues.find((q) => q.id === fn.queue!.id)!;
      const handler = (await loadHandler(fn)) as unknown as { kind?: string; maxReceiveCount?: number };
      expect({ fn: fn.id, kind: handler.kind, maxReceiveCount: handler.maxReceiveCount }).toEqual({ fn: fn.id, kind: 'sqs', maxReceiveCount: queue.deadLetter?.maxReceiveCount });
    }
  });
});
