// What the design requires every function of a role to carry around its own work, as module source
// for a benchmark bundle: the Powertools logger and metrics used as shared/src/http/http-function.ts
// and shared/src/sqs/sqs-function.ts use them (the same log lines and metrics per request or per
// batch), Powertools batch processing for the SQS workers, and an inversify container built as the
// composition roots build theirs (services/*/src/composition). bench/framework-cost.ts wraps a
// no-op in them; the framework floors (bench/lib/floors.ts) wrap a floor's own calls, so that a
// function's ratio to its framework floor is what our own code adds to what it must carry.
// Our own parts of those wrappers (secret redaction in the log serializer, routing, validation,
// the problem mapping, deadlines) are left out: they are what the ratio is meant to measure.

/** The logger and metrics emitter, created at module load as createTelemetry creates them. */
export const TELEMETRY = `
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
const logger = new Logger({ serviceName: 'bench' });
const metrics = new Metrics({ namespace: 'Bench', serviceName: 'bench' });
`;

/** The workers' partial batch responses. */
export const BATCH = `
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
`;

/** One dependency bound in the container: a token's name and the source of a function building it. */
export interface Binding {
  name: string;
  factory: string;
}

/**
 * Defines `compose()`: a Singleton-scoped container loaded with one ContainerModule that binds each
 * dependency as a `toDynamicValue` factory and one use case as `toResolvedValue` over all of them,
 * then resolves the use case, as a composition root does on a function's first invoke. `useCase` is
 * the source of a function taking the dependencies in the order of `bindings`.
 */
export function containerSource(bindings: readonly Binding[], useCase: string): string {
  const tokens = bindings.map((binding) => `Symbol.for(${JSON.stringify(binding.name)})`);
  return `
import { Container, ContainerModule } from 'inversify';
const USE_CASE = Symbol.for('useCase');
const compose = async () => {
  const container = new Container({ defaultScope: 'Singleton' });
  container.load(new ContainerModule(({ bind }) => {
${bindings.map((binding, i) => `    bind(${tokens[i]}).toDynamicValue(${binding.factory});`).join('\n')}
    bind(USE_CASE).toResolvedValue(${useCase}, [${tokens.join(', ')}]);
  }));
  return container.get(USE_CASE);
};
`;
}

export interface WrapperWork {
  /** Source of an expression giving the function's dependencies, evaluated once, on the first invoke; none when the function composes nothing. */
  compose?: string;
  /** Statements run per request (HTTP) or per record (worker), with the dependencies in `deps`; an HTTP request's may set `body`. */
  work: string;
}

/**
 * An HTTP handler the way createHttpFunction runs one: context and request ids on the logger, the
 * cold-start metric, composition on the first invoke, the user id on the logger for a request
 * that authenticates, then one access log line and the route's latency and outcome metrics.
 */
export function httpHandlerSource(work: WrapperWork & { authenticated?: boolean }): string {
  return `
let composed;
export const handler = async (event, context) => {
  const started = Date.now();
  const requestId = event.requestContext?.requestId ?? context.awsRequestId;
  logger.addContext(context);
  logger.appendKeys({ requestId, correlationId: event.headers?.['x-correlation-id'] ?? requestId });
  metrics.captureColdStartMetric();
  let body = '';
  try {
${work.compose ? `    if (!composed) composed = ${work.compose};\n    const deps = await composed;` : '    const deps = undefined;'}
${work.authenticated ? "    logger.appendKeys({ userId: 'bench-user' });\n" : ''}${indent(work.work, 4)}
  } finally {
    logger.removeKeys(['userId']);
  }
  const durationMs = Date.now() - started;
  logger.info('request', { method: event.requestContext?.http?.method ?? 'GET', path: event.rawPath, status: 200, durationMs, code: undefined });
  metrics.addDimension('route', event.routeKey);
  metrics.addMetric('Latency', MetricUnit.Milliseconds, durationMs);
  metrics.addMetric('Success', MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body };
};
`;
}

/**
 * An SQS handler the way createSqsFunction runs one: context and cold-start metric, composition
 * once, each record through Powertools' BatchProcessor with its debug line, then the batch's
 * counts as metrics and its one log line.
 */
export function workerHandlerSource(work: WrapperWork): string {
  return `${BATCH}
let composed;
export const handler = async (event, context) => {
  logger.addContext(context);
  metrics.captureColdStartMetric();
  const outcomes = { processed: 0, rejected: 0, retried: 0 };
${work.compose ? `  if (!composed) composed = ${work.compose};\n  const deps = await composed;` : '  const deps = undefined;'}
  const handleOne = async (record) => {
    const started = Date.now();
${indent(work.work, 4)}
    outcomes.processed += 1;
    logger.debug('record processed', { messageId: record.messageId, durationMs: Date.now() - started });
  };
  const response = await processPartialResponse(event, handleOne, new BatchProcessor(EventType.SQS), { context, throwOnFullBatchFailure: false, processInParallel: true });
  metrics.addMetric('RecordProcessed', MetricUnit.Count, outcomes.processed);
  metrics.addMetric('RecordRejected', MetricUnit.Count, outcomes.rejected);
  metrics.addMetric('RecordRetried', MetricUnit.Count, outcomes.retried);
  metrics.publishStoredMetrics();
  logger.info('batch', { records: event.Records.length, ...outcomes, deadLettered: 0 });
  return response;
};
`;
}

function indent(statements: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return statements
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => pad + line)
    .join('\n');
}
