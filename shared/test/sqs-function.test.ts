import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { ServiceUnavailableError } from '../src/errors/domain-error';
import { createLogger, createMetrics } from '../src/observability/telemetry';
import { createSqsFunction, PermanentRecordError, type SqsRecordInfo } from '../src/sqs/sqs-function';
import { lambdaContext } from './support/api-gateway-event';
import { captureOutput } from './support/capture-output';

function record(messageId: string, body: string, attributes: Partial<SQSRecord['attributes']> = {}): SQSRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1767225600000', SenderId: 'x', ApproximateFirstReceiveTimestamp: '1767225600000', ...attributes },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q',
    awsRegion: 'us-east-1',
  };
}

const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

/** Runs one invocation with stdout and stderr captured; the EMF documents and log lines, parsed. */
async function invoke(handler: ReturnType<typeof createSqsFunction>, event: SQSEvent) {
  let response: Awaited<ReturnType<typeof handler>> | undefined;
  const err = await captureOutput('stderr', async () => {
    const out = await captureOutput('stdout', async () => {
      response = await handler(event, lambdaContext);
    });
    return out.written;
  });
  const lines = `${err.result}\n${err.written}`.split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  const metric = (name: string) => lines.filter((l) => name in l).map((l) => l[name] as number);
  return { response: response!, lines, metric, text: `${err.result}\n${err.written}` };
}

function telemetry() {
  return { logger: createLogger('sqs-test', { logLevel: 'DEBUG' }), metrics: createMetrics('sqs-test', 'SqsTest') };
}

describe('createSqsFunction', () => {
  // The test set-up silences metrics; these tests read them.
  const previous = process.env.POWERTOOLS_METRICS_DISABLED;
  beforeAll(() => {
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
    else process.env.POWERTOOLS_METRICS_DISABLED = previous;
  });

  it('acknowledges handled records, reports only the failed ones, and counts each outcome', async () => {
    const seen: { body: string; info: SqsRecordInfo }[] = [];
    const handler = createSqsFunction({
      telemetry: telemetry(),
      compose: async () => ({ prefix: 'ok:' }),
      handleRecord: async (body, info, deps) => {
        seen.push({ body: deps.prefix + body, info });
        if (body === 'transient') throw new ServiceUnavailableError('The database is unavailable; retry shortly.', 'database_unavailable');
        if (body === 'bug') throw new TypeError('cannot read x of undefined');
        if (body === 'poison') throw new PermanentRecordError('malformed_message', 'not JSON');
      },
    });
    const { response, metric, lines } = await invoke(handler, batch(record('m1', 'a', { ApproximateReceiveCount: '3', SentTimestamp: '1767225601234' }), record('m2', 'transient'), record('m3', 'poison'), record('m4', 'bug'), record('m5', 'b')));
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }, { itemIdentifier: 'm4' }] });
    expect(seen.map((s) => s.body).sort()).toEqual(['ok:a', 'ok:b', 'ok:bug', 'ok:poison', 'ok:transient']);
    expect(seen.find((s) => s.body === 'ok:a')?.info).toEqual({ messageId: 'm1', receiveCount: 3, sentAtMs: 1_767_225_601_234 });
    expect(metric('RecordProcessed')).toEqual([2]);
    expect(metric('RecordRejected')).toEqual([1]);
    expect(metric('RecordRetried')).toEqual([2]);
    expect(metric('RecordDeadLettered')).toEqual([]);
    expect(lines.find((l) => 'RecordRejectedByCode' in l)).toMatchObject({ code: 'malformed_message', RecordRejectedByCode: 1 });
    expect(lines.find((l) => l.message === 'record rejected')).toMatchObject({ messageId: 'm3', code: 'malformed_message', reason: 'not JSON' });
    expect(lines.find((l) => l.message === 'record failed; retried')).toMatchObject({ messageId: 'm2', code: 'database_unavailable', lastAttempt: false });
    expect(lines.find((l) => l.message === 'record failed unexpectedly; retried')).toMatchObject({ messageId: 'm4', errorName: 'TypeError', cause: 'TypeError: cannot read x of undefined' });
    expect(lines.find((l) => l.message === 'batch')).toMatchObject({ records: 5, processed: 2, rejected: 1, retried: 2, deadLettered: 0 });
  });

  it('counts a failure on the maxReceiveCount-th delivery as dead-lettered, and logs no stack trace', async () => {
    const handler = createSqsFunction({
      telemetry: telemetry(),
      maxReceiveCount: 5,
      compose: async () => ({}),
      handleRecord: async () => {
        throw new Error('still down', { cause: new Error('ECONNREFUSED 127.0.0.1:4566') });
      },
    });
    const { response, metric, lines, text } = await invoke(handler, batch(record('m1', 'x', { ApproximateReceiveCount: '5' }), record('m2', 'y', { ApproximateReceiveCount: '4' })));
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['m1', 'm2']);
    expect(metric('RecordDeadLettered')).toEqual([1]);
    expect(lines.filter((l) => l.message === 'record failed unexpectedly; retried').map((l) => [l.messageId, l.lastAttempt])).toEqual([['m1', true], ['m2', false]]);
    expect(lines.find((l) => l.messageId === 'm1')).toMatchObject({ cause: 'Error: still down (cause: Error: ECONNREFUSED 127.0.0.1:4566)' });
    expect(text).not.toMatch(/\n\s+at |\\n\s+at /);
  });

  it('composes once per cold start, and after a failed composition retries the whole batch and composes again next time', async () => {
    let compositions = 0;
    const handler = createSqsFunction({
      telemetry: telemetry(),
      compose: async () => {
        compositions += 1;
        if (compositions === 1) throw new Error('PAYMENTS_TABLE is missing');
        return { n: compositions };
      },
      handleRecord: async () => undefined,
    });
    const failed = await invoke(handler, batch(record('m1', 'a'), record('m2', 'b')));
    expect(failed.response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }, { itemIdentifier: 'm2' }] });
    expect(failed.metric('RecordRetried')).toEqual([2]);
    expect(failed.lines.find((l) => l.message === 'composition failed; the whole batch is retried')).toMatchObject({ cause: 'Error: PAYMENTS_TABLE is missing' });
    expect((await invoke(handler, batch(record('m1', 'a')))).response).toEqual({ batchItemFailures: [] });
    expect((await invoke(handler, batch(record('m3', 'c')))).response).toEqual({ batchItemFailures: [] });
    expect(compositions).toBe(2);
  });

  it('handles a batch\'s records concurrently by default and one at a time when asked', async () => {
    const run = async (processInParallel: boolean | undefined) => {
      let active = 0;
      let most = 0;
      const order: string[] = [];
      const handler = createSqsFunction({
        telemetry: telemetry(),
        compose: async () => ({}),
        ...(processInParallel === undefined ? {} : { processInParallel }),
        handleRecord: async (body) => {
          active += 1;
          most = Math.max(most, active);
          await new Promise((resolve) => setImmediate(resolve));
          order.push(body);
          active -= 1;
        },
      });
      await invoke(handler, batch(record('m1', '1'), record('m2', '2'), record('m3', '3')));
      return { most, order };
    };
    expect((await run(undefined)).most).toBe(3);
    expect(await run(false)).toEqual({ most: 1, order: ['1', '2', '3'] });
  });

  it('reads missing or malformed delivery attributes as a first delivery', async () => {
    const infos: SqsRecordInfo[] = [];
    const handler = createSqsFunction({ telemetry: telemetry(), compose: async () => ({}), handleRecord: async (_b, info) => void infos.push(info) });
    await invoke(handler, batch(record('m1', 'a', { ApproximateReceiveCount: 'x', SentTimestamp: 'y' }), record('m2', 'b', { ApproximateReceiveCount: '0' })));
    expect(infos).toEqual([
      { messageId: 'm1', receiveCount: 1, sentAtMs: 0 },
      { messageId: 'm2', receiveCount: 1, sentAtMs: 1_767_225_600_000 },
    ]);
  });

  it('answers an empty batch with no failures', async () => {
    const handler = createSqsFunction({ telemetry: telemetry(), compose: async () => ({}), handleRecord: async () => undefined });
    expect((await invoke(handler, batch())).response).toEqual({ batchItemFailures: [] });
    expect(handler.kind).toBe('sqs');
  });
});
