import { RedriveDeadLetters } from '../../../src/application/operations/redrive-dead-letters';
import { RedriveLimitUnsupportedError, RedriveMethodUnsupportedError } from '../../../src/application/operations/redrive-errors';
import type { RedrivePair, RedriveProgress } from '../../../src/application/ports/dead-letter-redriver';
import { InMemoryQueues } from '../../fakes/in-memory-dead-letter-queues';

// The method an operator names is the one used, and each refusal says what to do instead: the
// operator reads these messages in the redrive command's output, not a code table.
const pair: RedrivePair = { id: 'stripe_events', source: { url: 'mem://events', arn: 'arn:events' }, deadLetter: { url: 'mem://events-dlq', arn: 'arn:events-dlq' } };

function setup(deadLetters: number) {
  const queues = new InMemoryQueues();
  for (let i = 0; i < deadLetters; i++) queues.put(pair.deadLetter.url, { body: `m${i}`, attributes: {} });
  return { queues, useCase: new RedriveDeadLetters([queues.redriver('move_task'), queues.redriver('receive_send_delete')], queues) };
}

describe('RedriveDeadLetters: the method asked for', () => {
  it('uses receive → send → delete when named, though a move task comes first and is available', async () => {
    const { useCase } = setup(2);
    expect(await useCase.execute({ pair, apply: true, method: 'receive_send_delete' })).toMatchObject({ method: 'receive_send_delete', outcome: { method: 'receive_send_delete', moved: 2 } });
  });

  it('uses a named move task when no limit is asked for', async () => {
    const { useCase } = setup(3);
    expect(await useCase.execute({ pair, apply: true, method: 'move_task' })).toMatchObject({ method: 'move_task', outcome: { method: 'move_task', moved: 3, status: 'completed' } });
  });

  it('passes the progress callback to the redriver', async () => {
    const { useCase } = setup(2);
    const progress: RedriveProgress[] = [];
    await useCase.execute({ pair, apply: true, method: 'receive_send_delete', onProgress: (step) => progress.push(step) });
    expect(progress).toEqual([{ moved: 2, failed: 0 }]);
  });

  it('refuses a limit on a move task, saying which method keeps one', async () => {
    const { useCase } = setup(1);
    const refusal = await useCase.execute({ pair, apply: true, method: 'move_task', maxMessages: 1 }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(RedriveLimitUnsupportedError);
    expect(refusal).toMatchObject({ kind: 'validation', code: 'redrive_limit_unsupported', message: 'move_task moves every message; a limit needs receive_send_delete.' });
  });

  it('refuses a method the endpoint lacks, naming it and the one to use', async () => {
    const { queues, useCase } = setup(1);
    queues.moveTasks = false;
    const refusal = await useCase.execute({ pair, apply: false, method: 'move_task' }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(RedriveMethodUnsupportedError);
    expect(refusal).toMatchObject({
      kind: 'conflict',
      code: 'redrive_method_unsupported',
      message: 'This queue endpoint cannot redrive with move_task; use receive_send_delete or let the method be chosen.',
    });
  });
});
