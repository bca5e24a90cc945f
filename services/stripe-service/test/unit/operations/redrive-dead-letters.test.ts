import { RedriveDeadLetters } from '../../../src/application/operations/redrive-dead-letters';
import { RedriveLimitUnsupportedError, RedriveMethodUnsupportedError } from '../../../src/application/operations/redrive-errors';
import type { RedrivePair } from '../../../src/application/ports/dead-letter-redriver';
import { InMemoryQueues } from '../../fakes/in-memory-dead-letter-queues';

const pair: RedrivePair = { id: 'stripe_events', source: { url: 'mem://events', arn: 'arn:events' }, deadLetter: { url: 'mem://events-dlq', arn: 'arn:events-dlq' } };

function setup(deadLetters: number) {
  const queues = new InMemoryQueues();
  for (let i = 0; i < deadLetters; i++) queues.put(pair.deadLetter.url, { body: `m${i}`, attributes: {} });
  const useCase = new RedriveDeadLetters([queues.redriver('move_task'), queues.redriver('receive_send_delete')], queues);
  return { queues, useCase };
}

describe('RedriveDeadLetters', () => {
  it('a dry run counts and names the method, moving nothing', async () => {
    const { queues, useCase } = setup(4);
    const report = await useCase.execute({ pair, apply: false, method: 'auto' });
    expect(report).toMatchObject({ applied: false, method: 'move_task', before: { deadLetter: { visible: 4 }, source: { visible: 0 } } });
    expect(report.outcome).toBeUndefined();
    expect(await queues.depth(pair.deadLetter.url)).toMatchObject({ visible: 4 });
  });

  it('applied, moves with the queue service\'s move task where there is one and reports the queues after', async () => {
    const { useCase } = setup(3);
    const report = await useCase.execute({ pair, apply: true, method: 'auto' });
    expect(report).toMatchObject({ applied: true, method: 'move_task', outcome: { moved: 3, status: 'completed' }, after: { deadLetter: { visible: 0 }, source: { visible: 3 } } });
  });

  it('falls back to receive → send → delete where move tasks are missing, or when a limit is asked for', async () => {
    const missing = setup(2);
    missing.queues.moveTasks = false;
    expect(await missing.useCase.execute({ pair, apply: true, method: 'auto' })).toMatchObject({ method: 'receive_send_delete', outcome: { moved: 2 } });
    const limited = setup(5);
    expect(await limited.useCase.execute({ pair, apply: true, method: 'auto', maxMessages: 2 })).toMatchObject({ method: 'receive_send_delete', outcome: { moved: 2 }, after: { deadLetter: { visible: 3 } } });
  });

  it('refuses a method the endpoint lacks and a limit a move task cannot keep', async () => {
    const { queues, useCase } = setup(1);
    await expect(useCase.execute({ pair, apply: true, method: 'move_task', maxMessages: 1 })).rejects.toBeInstanceOf(RedriveLimitUnsupportedError);
    queues.moveTasks = false;
    await expect(useCase.execute({ pair, apply: false, method: 'move_task' })).rejects.toBeInstanceOf(RedriveMethodUnsupportedError);
  });

  it('reports a move whose sends failed as failed, the messages still in the dead-letter queue', async () => {
    const { queues, useCase } = setup(2);
    queues.failSendsTo = pair.source.url;
    expect(await useCase.execute({ pair, apply: true, method: 'receive_send_delete' })).toMatchObject({ outcome: { moved: 0, failed: 2, status: 'failed' }, after: { deadLetter: { visible: 2 } } });
  });
});
