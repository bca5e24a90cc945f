// Throughput of the events worker, in batches of 10, next to its own I/O measured the same way in
// the same run, so the ratio shows what the worker adds to the calls it cannot avoid.
//
// Set-up (what the budget of >= 300 events/s on 2 cores means):
// - the emulators (dynalite, fauxqs, the Stripe simulator) run in one child process, standing in for
//   DynamoDB, SQS and SNS, which in AWS are services elsewhere;
// - the worker runs as --concurrency function processes, each polling the events queue and handling
//   one batch at a time, as Lambda's SQS event source does: it starts with five concurrent batches
//   (five instances), hence the default of 5;
// - its own I/O runs in the same number of processes with the same poller (receive, delete) and,
//   per event, the calls the worker makes for a payment_intent.succeeded of a payment the API made:
//   the webhook record read and the payment read (together), its conditional write, the SNS publish
//   and the processed mark, the records of a batch concurrently as the worker handles them, so that
//   their reads, publishes and marks go out together as the worker's adapters send them (one
//   BatchGetItem per batch; PublishBatch and BatchWriteItem for what is started in one turn);
// - this process only seeds the tables, fills the queues and counts.
// Each side first drains a warm-up of two batches per process from a queue of its own (connections,
// the SNS client's load); then the measured events are queued and the clock runs from the moment
// the processes start polling until every event is acknowledged. (A poller stopped mid long poll
// can leave fauxqs a receive that takes messages nobody reads, so a stopped poller never returns to
// the measured queue.) Functions log at LOG_LEVEL (INFO, as deployed, unless set) with metrics on, into .data/bench-logs/.
// --cpu-prof writes a V8 profile of each worker process into .data/profiles/.
// Usage: npm run bench:worker -- [--events 2000] [--concurrency 5] [--cpu-prof]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { loadResources, repoRoot } from '../scripts/lib/resources';
import { DynamoCustomerRepository } from '../services/stripe-service/src/adapters/dynamodb/dynamo-customer-repository';
import { DynamoPaymentRepository } from '../services/stripe-service/src/adapters/dynamodb/dynamo-payment-repository';
import type { Payment } from '../services/stripe-service/src/domain/payment';
import { samplePayment } from '../services/stripe-service/test/support/sample-payment';
import { intentObject, stripeEvent } from '../services/stripe-service/test/support/stripe-event-payloads';
import { cpuMs, cpuPer, loadAverage, machine, startFunctionProcess, startStackProcess, type FunctionProcess, type FunctionRole } from './lib/processes';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const EVENTS = arg('events', 2000);
const CONCURRENCY = arg('concurrency', 5);
const CPU_PROFILE_DIR = process.argv.includes('--cpu-prof') ? join(repoRoot, '.data', 'profiles') : undefined;
const LOG_DIR = join(repoRoot, '.data', 'bench-logs', `worker-${new Date().toISOString().replaceAll(':', '-')}`);
const worker = loadResources().functions.find((f) => f.id === 'events-worker')!;
const BATCH = worker.queue!.batchSize;
const WARM_UP = 2 * BATCH * CONCURRENCY;
/** Without progress for this long the run is reported as stuck (a retried message waits out the visibility timeout). */
const STALL_MS = 30_000;
const USER = 'bench-worker-user';
const CUSTOMER = 'cus_bench';
const LOG_LEVEL = process.env.LOG_LEVEL ?? 'INFO';

const dataDir = mkdtempSync(join(tmpdir(), 'bench-worker-'));
const { stack, pid: stackPid, stop: stopStack } = await startStackProcess(dataDir);
const config = { region: stack.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
const dynamo = new DynamoDBClient({ ...config, endpoint: stack.endpoints.dynamodb });
const sqs = new SQSClient({ ...config, endpoint: stack.endpoints.sqs });
const env = stack.env;
const processes: FunctionProcess[] = [];

async function seedPayments(count: number): Promise<Payment[]> {
  const repository = new DynamoPaymentRepository(dynamo, env.PAYMENTS_TABLE!);
  const made: Payment[] = [];
  for (let i = 0; i < count; i += 50) {
    const chunk = Array.from({ length: Math.min(50, count - i) }, () => samplePayment(USER, { stripeCustomerId: CUSTOMER, amount: 2000 }));
    await Promise.all(chunk.map((p) => repository.create(p)));
    made.push(...chunk);
  }
  return made;
}

async function fill(queueUrl: string, bodies: string[]): Promise<void> {
  for (let i = 0; i < bodies.length; i += 100) {
    const slice = bodies.slice(i, i + 100);
    await Promise.all(
      Array.from({ length: Math.ceil(slice.length / 10) }, (_, j) =>
        sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: slice.slice(j * 10, j * 10 + 10).map((body, k) => ({ Id: String(k), MessageBody: body })) })),
      ),
    );
  }
}

type Queue = { url: string; arn: string };

async function createQueue(name: string): Promise<Queue> {
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '180' } }))).QueueUrl!;
  return { url, arn: (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn! };
}

const bodiesFor = (payments: Payment[]) =>
  payments.map((p) =>
    JSON.stringify(stripeEvent('payment_intent.succeeded', intentObject({ id: p.stripePaymentIntentId, status: 'succeeded', customer: CUSTOMER, metadata: { userId: USER, paymentId: p.paymentId } }), { created: p.stripeUpdatedAt + 10 })),
  );

/**
 * Starts `CONCURRENCY` processes of one role, drains the warm-up through them, pauses them, queues
 * the measured events and times them from the start until every one is acknowledged.
 */
interface Run {
  ms: number;
  retried: number;
  /** CPU ms per event of the function processes and of the emulators' process. */
  cpu: { functions: string; emulators: string };
  /** The AWS calls the function processes made while measured, by operation (the poller's included). */
  calls: Record<string, number>;
}

/** Calls per event, in all and by operation. */
function perEvent(calls: Record<string, number>, events: number): string {
  const total = Object.values(calls).reduce((a, b) => a + b, 0);
  const each = Object.entries(calls)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([operation, n]) => `${operation} ${(n / events).toFixed(2)}`)
    .join(', ');
  return `${(total / events).toFixed(2)} (${each})`;
}

async function measure(role: FunctionRole, queue: Queue, warmUp: string[], measured: string[]): Promise<Run> {
  const group = await Promise.all(
    Array.from({ length: CONCURRENCY }, (_, n) =>
      startFunctionProcess({ role, env: { ...env, LOG_LEVEL }, cpuProfileDir: role.kind === 'sqs' ? CPU_PROFILE_DIR : undefined, logFile: join(LOG_DIR, `${role.kind}-${n}.log`) }),
    ),
  );
  processes.push(...group);
  let done = 0;
  let retried = 0;
  let calls: Record<string, number> = {};
  let target = warmUp.length;
  let lastProgress = performance.now();
  let reached: () => void = () => undefined;
  for (const p of group)
    p.onProgress((n, failed, made) => {
      for (const [operation, count] of Object.entries(made)) calls[operation] = (calls[operation] ?? 0) + count;
      done += n;
      retried += failed;
      lastProgress = performance.now();
      if (done >= target) reached();
    });
  const until = async (count: number) => {
    target = count;
    lastProgress = performance.now();
    const watchdog = setInterval(() => {
      if (performance.now() - lastProgress > STALL_MS) reached();
    }, 1_000);
    await new Promise<void>((resolve) => {
      reached = resolve;
      if (done >= target) resolve();
    });
    clearInterval(watchdog);
    if (done < count) throw new Error(`stuck: ${done} of ${count} events acknowledged, none for ${STALL_MS / 1000} s (${retried} retried)`);
  };

  const warmQueue = await createQueue(`bench-warm-${role.kind}`);
  await fill(warmQueue.url, warmUp);
  for (const p of group) p.send({ type: 'start', queueUrl: warmQueue.url, queueArn: warmQueue.arn });
  await until(warmUp.length);
  await Promise.all(group.map((p) => p.pause()));
  await fill(queue.url, measured);
  done = 0;
  retried = 0;
  calls = {};
  const cpu = () => ({ functions: group.map((p) => cpuMs(p.pid)), emulators: [cpuMs(stackPid)] });
  const cpuBefore = cpu();
  const started = performance.now();
  for (const p of group) p.send({ type: 'start', queueUrl: queue.url, queueArn: queue.arn });
  await until(measured.length);
  const ms = performance.now() - started;
  const cpuAfter = cpu();
  await Promise.all(group.map((p) => p.stop()));
  return {
    ms,
    retried,
    calls,
    cpu: { functions: cpuPer(cpuBefore.functions, cpuAfter.functions, measured.length), emulators: cpuPer(cpuBefore.emulators, cpuAfter.emulators, measured.length) },
  };
}

try {
  const customers = new DynamoCustomerRepository(dynamo, env.STRIPE_CUSTOMERS_TABLE!);
  const now = new Date().toISOString();
  await customers.insertIfAbsent({ userId: USER, email: undefined, role: 'user', status: 'creating', stripeCustomerId: undefined, leaseExpiresAt: 1, createdAt: now, updatedAt: now });
  await customers.complete(USER, CUSTOMER, undefined, now);
  const bodies = async () => {
    const all = bodiesFor(await seedPayments(WARM_UP + EVENTS));
    return { warmUp: all.slice(0, WARM_UP), measured: all.slice(WARM_UP) };
  };
  const [workerBodies, ioBodies] = [await bodies(), await bodies()];

  const queue = stack.queues.stripe_events!;
  const loadBefore = loadAverage();
  const workerRun = await measure({ kind: 'sqs', functionId: worker.id, batchSize: BATCH }, queue, workerBodies.warmUp, workerBodies.measured);
  const left = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))).Attributes ?? {};

  const ioRun = await measure({ kind: 'sqs-io', batchSize: BATCH }, await createQueue('bench-worker-io'), ioBodies.warmUp, ioBodies.measured);

  const workerRate = (EVENTS / workerRun.ms) * 1000;
  const ioRate = (EVENTS / ioRun.ms) * 1000;
  console.log(`events worker: ${EVENTS} payment_intent.succeeded events (after a warm-up of ${WARM_UP}), batch size ${BATCH}`);
  console.log(`  set-up:        emulators (dynalite, fauxqs, simulator) in 1 process; ${CONCURRENCY} function processes, one batch at a time each (Lambda's 5 concurrent batches to start); this process seeds and counts; LOG_LEVEL ${LOG_LEVEL}, metrics on`);
  console.log(`  machine:       ${machine()}; before the run ${loadBefore}`);
  console.log(`  worker:        ${workerRate.toFixed(0).padStart(6)} events/s  (${(workerRun.ms / 1000).toFixed(2)} s; retried ${workerRun.retried}; left on queue ${left.ApproximateNumberOfMessages ?? '?'} visible, ${left.ApproximateNumberOfMessagesNotVisible ?? '?'} in flight)`);
  console.log(`  its own I/O:   ${ioRate.toFixed(0).padStart(6)} events/s  (${(ioRun.ms / 1000).toFixed(2)} s; same processes and poller: receive + delete + the reads as one BatchGetItem per batch, PutItem per event, publishes and marks coalesced as the worker's)`);
  console.log(`  calls/event:   worker ${perEvent(workerRun.calls, EVENTS)}; its own I/O ${perEvent(ioRun.calls, EVENTS)}`);
  console.log(`  CPU per event: worker ${workerRun.cpu.functions} ms in its processes + ${workerRun.cpu.emulators} ms in the emulators; its own I/O ${ioRun.cpu.functions} ms + ${ioRun.cpu.emulators} ms`);
  console.log(`  ratio:         ${(workerRate / ioRate).toFixed(2)}x of its I/O's rate`);
  console.log(`  budget:        >= 300 events/s: ${workerRate >= 300 ? 'met' : 'NOT met'}`);
  console.log(`  function logs: ${LOG_DIR}`);
  if (CPU_PROFILE_DIR) console.log(`  CPU profiles:  ${CPU_PROFILE_DIR}`);
} finally {
  await Promise.all(processes.map((p) => p.stop()));
  dynamo.destroy();
  sqs.destroy();
  await stopStack();
  rmSync(dataDir, { recursive: true, force: true });
}
