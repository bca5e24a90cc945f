import type { DeadLetterRedriver, RedriveMethod, RedriveOutcome, RedrivePair, RedriveProgress } from '../../src/application/ports/dead-letter-redriver';
import type { QueueDepth, QueueDepthReader } from '../../src/application/ports/queue-depth-reader';

export interface FakeMessage {
  body: string;
  attributes: Record<string, string>;
}

/**
 * Queues in memory, for unit tests of the redrive use case; the DeadLetterRedriver and
 * QueueDepthReader contract suites prove it moves and counts like SQS.
 */
export class InMemoryQueues implements QueueDepthReader {
  private readonly queues = new Map<string, FakeMessage[]>();
  /** Endpoints without move tasks (as fauxqs and moto are). */
  moveTasks = true;
  /** When set, sending to that queue fails (the copy redriver must then keep the dead letter). */
  failSendsTo: string | undefined;

  put(url: string, message: FakeMessage): void {
    this.queue(url).push({ body: message.body, attributes: { ...message.attributes } });
  }

  take(url: string): FakeMessage[] {
    return this.queue(url).splice(0);
  }

  async depth(url: string): Promise<QueueDepth> {
    return { visible: this.queue(url).length, inFlight: 0, delayed: 0 };
  }

  redriver(method: RedriveMethod): DeadLetterRedriver {
    return new InMemoryRedriver(this, method);
  }

  /** Moves up to `limit` messages; a failing send leaves them where they were. */
  move(from: string, to: string, limit: number): { moved: number; failed: number } {
    const source = this.queue(from);
    const batch = source.splice(0, Math.min(limit, source.length));
    if (this.failSendsTo === to) {
      source.unshift(...batch);
      return { moved: 0, failed: batch.length };
    }
    this.queue(to).push(...batch);
    return { moved: batch.length, failed: 0 };
  }

  private queue(url: string): FakeMessage[] {
    let queue = this.queues.get(url);
    if (!queue) {
      queue = [];
      this.queues.set(url, queue);
    }
    return queue;
  }
}

class InMemoryRedriver implements DeadLetterRedriver {
  readonly canLimit: boolean;

  constructor(
    private readonly queues: InMemoryQueues,
    readonly method: RedriveMethod,
  ) {
    this.canLimit = method === 'receive_send_delete';
  }

  async supported(): Promise<boolean> {
    return this.method === 'receive_send_delete' || this.queues.moveTasks;
  }

  async redrive(pair: RedrivePair, options: { maxMessages?: number; onProgress?: (progress: RedriveProgress) => void } = {}): Promise<RedriveOutcome> {
    const limit = this.canLimit ? (options.maxMessages ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY;
    const { moved, failed } = this.queues.move(pair.deadLetter.url, pair.source.url, limit);
    options.onProgress?.({ moved, failed });
    return { method: this.method, moved, failed, status: failed > 0 ? 'failed' : 'completed' };
  }
}
