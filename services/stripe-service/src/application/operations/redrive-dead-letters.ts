import type { DeadLetterRedriver, RedriveMethod, RedriveOutcome, RedrivePair, RedriveProgress } from '../ports/dead-letter-redriver';
import type { QueueDepth, QueueDepthReader } from '../ports/queue-depth-reader';
import { RedriveLimitUnsupportedError, RedriveMethodUnsupportedError } from './redrive-errors';

export interface RedriveInput {
  pair: RedrivePair;
  /** False (the default) only counts and says how it would move: a dry run. */
  apply: boolean;
  /** `auto` takes the queue service's own move task where it exists. */
  method: RedriveMethod | 'auto';
  maxMessages?: number;
  onProgress?: (progress: RedriveProgress) => void;
}

export interface RedriveReport {
  pair: RedrivePair;
  method: RedriveMethod;
  applied: boolean;
  before: { deadLetter: QueueDepth; source: QueueDepth };
  /** Only when applied. */
  outcome?: RedriveOutcome;
  after?: { deadLetter: QueueDepth; source: QueueDepth };
}

/**
 * Puts a queue's dead letters back where they failed, once the cause is fixed. A dry run first by
 * default: the operator sees how many would move, and how, before anything moves.
 */
export class RedriveDeadLetters {
  constructor(
    private readonly redrivers: readonly DeadLetterRedriver[],
    private readonly depths: QueueDepthReader,
  ) {}

  async execute(input: RedriveInput): Promise<RedriveReport> {
    const redriver = await this.choose(input);
    const before = await this.depthsOf(input.pair);
    if (!input.apply) return { pair: input.pair, method: redriver.method, applied: false, before };
    const outcome = await redriver.redrive(input.pair, {
      ...(input.maxMessages === undefined ? {} : { maxMessages: input.maxMessages }),
      ...(input.onProgress ? { onProgress: input.onProgress } : {}),
    });
    return { pair: input.pair, method: redriver.method, applied: true, before, outcome, after: await this.depthsOf(input.pair) };
  }

  private async choose(input: RedriveInput): Promise<DeadLetterRedriver> {
    const limited = input.maxMessages !== undefined;
    if (input.method !== 'auto') {
      const redriver = this.redrivers.find((r) => r.method === input.method);
      if (!redriver || !(await redriver.supported(input.pair))) throw new RedriveMethodUnsupportedError(input.method);
      if (limited && !redriver.canLimit) throw new RedriveLimitUnsupportedError(redriver.method);
      return redriver;
    }
    for (const redriver of this.redrivers) {
      if (limited && !redriver.canLimit) continue;
      if (await redriver.supported(input.pair)) return redriver;
    }
    throw new RedriveMethodUnsupportedError('receive_send_delete');
  }

  private async depthsOf(pair: RedrivePair): Promise<RedriveReport['before']> {
    const [deadLetter, source] = await Promise.all([this.depths.depth(pair.deadLetter.url), this.depths.depth(pair.source.url)]);
    return { deadLetter, source };
  }
}
