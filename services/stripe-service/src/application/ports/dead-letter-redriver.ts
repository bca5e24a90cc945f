/** A queue and the dead-letter queue its redrive policy sends failed messages to. */
export interface RedrivePair {
  /** The queue's id in resources.json, for people reading the output. */
  id: string;
  source: { url: string; arn: string };
  deadLetter: { url: string; arn: string };
}

/**
 * `move_task`: the queue service moves the messages itself (SQS StartMessageMoveTask, what the AWS
 * console's "Start DLQ redrive" does). `receive_send_delete`: this process moves them one batch at
 * a time, for endpoints without move tasks.
 */
export type RedriveMethod = 'move_task' | 'receive_send_delete';

export interface RedriveProgress {
  moved: number;
  /** Messages that could not be sent back; they stay in the dead-letter queue. */
  failed: number;
}

export interface RedriveOutcome extends RedriveProgress {
  method: RedriveMethod;
  status: 'completed' | 'failed' | 'cancelled';
  /** Why a move task failed, as the queue service says it. */
  failureReason?: string;
}

/**
 * Moves dead letters back to their source queue, at least once: a message is removed from the
 * dead-letter queue only after it is in the source queue, so a crash may leave a copy in both
 * (consumers dedupe by event id), never in neither.
 */
export interface DeadLetterRedriver {
  readonly method: RedriveMethod;
  /** Whether moving this way is possible here at all (not every SQS emulator has move tasks). */
  supported(pair: RedrivePair): Promise<boolean>;
  /** Whether `redrive` honours `maxMessages` (a move task moves everything). */
  readonly canLimit: boolean;
  /** Moves the dead letters back; resolves when the move is over. */
  redrive(pair: RedrivePair, options?: { maxMessages?: number; onProgress?: (progress: RedriveProgress) => void }): Promise<RedriveOutcome>;
}

export const DEAD_LETTER_REDRIVERS = Symbol.for('DeadLetterRedrivers');
