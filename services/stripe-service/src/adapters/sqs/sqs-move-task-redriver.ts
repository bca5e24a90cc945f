import { ListMessageMoveTasksCommand, StartMessageMoveTaskCommand, type ListMessageMoveTasksResultEntry, type SQSClient } from '@aws-sdk/client-sqs';
import type { Clock } from '../../application/ports/clock';
import type { DeadLetterRedriver, RedriveOutcome, RedrivePair, RedriveProgress } from '../../application/ports/dead-letter-redriver';
import { isUnsupportedAction } from './sqs-unsupported-action';

const FINISHED = new Set(['COMPLETED', 'CANCELLED', 'FAILED']);
const CLOCK_SKEW_MS = 60_000;

/**
 * SQS's own redrive (StartMessageMoveTask, then ListMessageMoveTasks until the task is over): the
 * messages never pass through this process, and SQS keeps their bodies and attributes.
 */
export class SqsMoveTaskRedriver implements DeadLetterRedriver {
  readonly method = 'move_task' as const;
  readonly canLimit = false;

  constructor(
    private readonly client: SQSClient,
    private readonly clock: Clock,
    private readonly pollMs = 1_000,
  ) {}

  async supported(pair: RedrivePair): Promise<boolean> {
    try {
      await this.client.send(new ListMessageMoveTasksCommand({ SourceArn: pair.deadLetter.arn, MaxResults: 1 }));
      return true;
    } catch (error) {
      if (isUnsupportedAction(error)) return false;
      throw error;
    }
  }

  async redrive(pair: RedrivePair, options: { onProgress?: (progress: RedriveProgress) => void } = {}): Promise<RedriveOutcome> {
    const startedAt = this.clock.now();
    const started = await this.client.send(new StartMessageMoveTaskCommand({ SourceArn: pair.deadLetter.arn, DestinationArn: pair.source.arn }));
    for (;;) {
      const task = await this.task(pair, started.TaskHandle, startedAt);
      const moved = task?.ApproximateNumberOfMessagesMoved ?? 0;
      options.onProgress?.({ moved, failed: 0 });
      if (task?.Status && FINISHED.has(task.Status)) {
        return {
          method: this.method,
          moved,
          failed: 0,
          status: task.Status === 'COMPLETED' ? 'completed' : task.Status === 'CANCELLED' ? 'cancelled' : 'failed',
          ...(task.FailureReason ? { failureReason: task.FailureReason } : {}),
        };
      }
      await this.clock.sleep(this.pollMs);
    }
  }

  /**
   * This task's entry: SQS lists a DLQ's tasks newest first and names the handle only while one
   * runs, so a finished one is the newest that started after we asked (an older finished task
   * listed before ours appears is not taken for it: undefined, and the caller polls again).
   */
  private async task(pair: RedrivePair, handle: string | undefined, startedAt: number): Promise<ListMessageMoveTasksResultEntry | undefined> {
    const listed = await this.client.send(new ListMessageMoveTasksCommand({ SourceArn: pair.deadLetter.arn, MaxResults: 10 }));
    const results = listed.Results ?? [];
    const byHandle = results.find((r) => handle !== undefined && r.TaskHandle === handle);
    if (byHandle) return byHandle;
    const newest = results[0];
    // Clocks differ: a task started up to a minute before our own clock's start is still ours.
    return newest?.StartedTimestamp !== undefined && newest.StartedTimestamp >= startedAt - CLOCK_SKEW_MS ? newest : undefined;
  }
}
