import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { DomainError } from '../errors/domain-error';
import type { Telemetry } from '../observability/telemetry';

/**
 * A record that can never succeed however often it is retried (malformed, refers to nothing we
 * know): acknowledged, logged and counted instead of cycling to the dead-letter queue. `code` is
 * stable and becomes the metric's dimension.
 */
export class PermanentRecordError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PermanentRecordError';
  }
}

export interface SqsRecordInfo {
  messageId: string;
  /** 1 on the first delivery. */
  receiveCount: number;
  /** Epoch ms at which the queue first received the message. */
  sentAtMs: number;
}

export interface SqsFunctionSpec<D> {
  /** Builds the function's dependencies once per cold start (its composition root). */
  compose: () => Promise<D>;
  /**
   * Handles one message. Returning acknowledges it. Throwing a PermanentRecordError acknowledges it
   * too (logged, counted); any other error leaves it on the queue to be retried and, after the
   * queue's maxReceiveCount, moved to its dead-letter queue.
   */
  handleRecord: (body: string, record: SqsRecordInfo, deps: D) => Promise<void>;
  telemetry: Telemetry;
  /** The source queue's maxReceiveCount: a failure on that delivery is counted as dead-lettered. */
  maxReceiveCount?: number;
  /** Records of one batch are handled concurrently unless false (e.g. when order within a batch matters). */
  processInParallel?: boolean;
}

export type SqsHandler = ((event: SQSEvent, context: Context) => Promise<SQSBatchResponse>) & {
  readonly kind: 'sqs';
  /** As given, so a test can hold it to the queue's redrive policy in the resource definition. */
  readonly maxReceiveCount: number | undefined;
};

type Outcome = 'processed' | 'rejected' | 'retried';

/**
 * Wraps a worker's record handler in what every SQS-fed function shares: composition at cold
 * start, partial batch responses (the event source mapping must have ReportBatchItemFailures),
 * the permanent/transient split, structured logs per record and EMF metrics.
 */
export function createSqsFunction<D>(spec: SqsFunctionSpec<D>): SqsHandler {
  const { logger, metrics } = spec.telemetry;
  let deps: Promise<D> | undefined;

  const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    logger.addContext(context);
    metrics.captureColdStartMetric();
    const outcomes: Record<Outcome, number> = { processed: 0, rejected: 0, retried: 0 };
    let deadLettered = 0;

    let resolved: D;
    try {
      if (!deps) deps = spec.compose();
      resolved = await deps;
    } catch (error) {
      // Nothing in the batch can be handled: every message goes back and is retried.
      deps = undefined;
      logger.error('composition failed; the whole batch is retried', { records: event.Records.length, cause: describe(error) });
      metrics.addMetric('RecordRetried', MetricUnit.Count, event.Records.length);
      metrics.publishStoredMetrics();
      return { batchItemFailures: event.Records.map((record) => ({ itemIdentifier: record.messageId })) };
    }

    const handleOne = async (record: SQSRecord): Promise<void> => {
      const info = toInfo(record);
      const started = Date.now();
      try {
        await spec.handleRecord(record.body, info, resolved);
        outcomes.processed += 1;
        logger.debug('record processed', { messageId: info.messageId, durationMs: Date.now() - started });
      } catch (error) {
        if (error instanceof PermanentRecordError) {
          outcomes.rejected += 1;
          logger.warn('record rejected', { messageId: info.messageId, code: error.code, reason: error.message, receiveCount: info.receiveCount });
          // Per code, so a new kind of bad record shows up as its own line on the dashboard.
          const byCode = metrics.singleMetric();
          byCode.addDimension('code', error.code);
          byCode.addMetric('RecordRejectedByCode', MetricUnit.Count, 1);
          return;
        }
        outcomes.retried += 1;
        const lastAttempt = spec.maxReceiveCount !== undefined && info.receiveCount >= spec.maxReceiveCount;
        if (lastAttempt) deadLettered += 1;
        const fields = { messageId: info.messageId, receiveCount: info.receiveCount, lastAttempt, cause: describe(error) };
        if (error instanceof DomainError) logger.warn('record failed; retried', { ...fields, code: error.code });
        // Name and message only: a stack trace says nothing an operator acts on, and may say too much.
        else logger.error('record failed unexpectedly; retried', { ...fields, errorName: error instanceof Error ? error.name : typeof error });
        throw error;
      }
    };

    const processor = new BatchProcessor(EventType.SQS);
    const response = await processPartialResponse(event, handleOne, processor, {
      context,
      throwOnFullBatchFailure: false,
      processInParallel: spec.processInParallel ?? true,
    });
    metrics.addMetric('RecordProcessed', MetricUnit.Count, outcomes.processed);
    metrics.addMetric('RecordRejected', MetricUnit.Count, outcomes.rejected);
    metrics.addMetric('RecordRetried', MetricUnit.Count, outcomes.retried);
    if (deadLettered > 0) metrics.addMetric('RecordDeadLettered', MetricUnit.Count, deadLettered);
    metrics.publishStoredMetrics();
    logger.info('batch', { records: event.Records.length, ...outcomes, deadLettered });
    return response;
  };
  return Object.assign(handler, { kind: 'sqs' as const, maxReceiveCount: spec.maxReceiveCount });
}

function toInfo(record: SQSRecord): SqsRecordInfo {
  const receiveCount = Number.parseInt(record.attributes?.ApproximateReceiveCount ?? '1', 10);
  const sentAtMs = Number.parseInt(record.attributes?.SentTimestamp ?? '0', 10);
  return {
    messageId: record.messageId,
    receiveCount: Number.isFinite(receiveCount) && receiveCount > 0 ? receiveCount : 1,
    sentAtMs: Number.isFinite(sentAtMs) ? sentAtMs : 0,
  };
}

/** The error and, when it wraps one, what it wraps: names and messages, never stacks. */
function describe(error: unknown): string {
  const one = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  const text = error instanceof Error && error.cause !== undefined ? `${one(error)} (cause: ${one(error.cause)})` : one(error);
  return text.slice(0, 500);
}
