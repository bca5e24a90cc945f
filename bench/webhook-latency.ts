// Latency of POST /stripe/webhook at fixed arrival rates, next to the two I/O calls the ingress
// cannot avoid (the conditional put of the receipt and the send to the events queue) made directly
// with the SDK against the same emulators at the same rates in the same run, so the ratio shows
// what the ingress adds: the HTTP hop, the signature check, parsing.
//
// Set-up (what the budget of p99 <= 1.5x its own I/O means):
// - the emulators (dynalite, fauxqs, the Stripe simulator) run in one child process, standing in for
//   DynamoDB and SQS, which in AWS are services elsewhere;
// - the function runs as --instances processes, each the webhook handler behind the local API
//   Gateway stand-in on a port of its own; each request goes to the instance with the fewest
//   requests in flight, as Lambda gives a request to an idle instance (default 2: the machine's
//   cores; at these rates and latencies Lambda runs one or two at a time);
// - this process generates the load and makes the reference I/O calls: both from outside the
//   emulators' process, the reference without an HTTP hop, so the ratio charges the hop to the
//   function.
// Arrivals are open-loop (one request every 1/rate s whether or not earlier ones answered) and
// bounded: past --max-in-flight outstanding requests a tick is skipped and counted. The function
// logs at LOG_LEVEL (INFO, as deployed, unless set) with metrics on, into .data/bench-logs/. --cpu-prof writes a V8 profile
// of each function process into .data/profiles/.
// Usage: npm run bench:webhook -- [--seconds 30] [--rates 50,100,200] [--instances 2] [--max-in-flight 500] [--cpu-prof]
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import Stripe from 'stripe';
import { repoRoot } from '../scripts/lib/resources';
import { CLIENT_SETTINGS, withoutSdkLogging } from '../services/stripe-service/src/adapters/aws/clients';
import { cpuMs, cpuPer, loadAverage, machine, startFunctionProcess, startStackProcess, type FunctionProcess } from './lib/processes';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const flag = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const seconds = Number(flag('--seconds') ?? 30);
const rates = (flag('--rates') ?? '50,100,200').split(',').map(Number);
const maxInFlight = Number(flag('--max-in-flight') ?? 500);
const instances = Number(flag('--instances') ?? 2);
const cpuProfileDir = process.argv.includes('--cpu-prof') ? join(repoRoot, '.data', 'profiles') : undefined;
const LOG_LEVEL = process.env.LOG_LEVEL ?? 'INFO';
const logDir = join(repoRoot, '.data', 'bench-logs', `webhook-${new Date().toISOString().replaceAll(':', '-')}`);
const BUDGET = 1.5;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

/** Runs `work` `rate` times a second for `seconds`, open-loop and bounded; returns each duration in ms. */
async function atFixedRate(rate: number, work: (i: number) => Promise<void>): Promise<{ times: number[]; skipped: number; failed: number }> {
  const times: number[] = [];
  let skipped = 0;
  let failed = 0;
  let inFlight = 0;
  const pending: Promise<void>[] = [];
  const total = Math.round(rate * seconds);
  const start = performance.now();
  for (let i = 0; i < total; i += 1) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (inFlight >= maxInFlight) {
      skipped += 1;
      continue;
    }
    inFlight += 1;
    const began = performance.now();
    pending.push(
      work(i)
        .then(() => void times.push(performance.now() - began))
        .catch(() => void (failed += 1))
        .finally(() => void (inFlight -= 1)),
    );
  }
  await Promise.all(pending);
  return { times, skipped, failed };
}

const dataDir = mkdtempSync(join(tmpdir(), 'webhook-latency-'));
const { stack, pid: stackPid, stop: stopStack } = await startStackProcess(dataDir);
const agent = new Agent({ keepAlive: true, maxSockets: maxInFlight });
const functions: { process: FunctionProcess; url: URL; inFlight: number }[] = [];
try {
  const secrets = JSON.parse(readFileSync(stack.secretsFile, 'utf8')) as Record<string, string>;
  const webhookSecret = secrets[`${stack.projectName}-${stack.environment}-stripe-webhook-secret`]!;
  const stripe = new Stripe('sk_test_unused');
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  // Configured as the function's clients are, so the reference is the same calls made the same way.
  const dynamo = new DynamoDBClient({ region: stack.region, endpoint: stack.endpoints.dynamodb, credentials, ...CLIENT_SETTINGS });
  const sqs = new SQSClient({ region: stack.region, endpoint: stack.endpoints.sqs, credentials, ...CLIENT_SETTINGS });
  withoutSdkLogging(dynamo);
  withoutSdkLogging(sqs);
  const table = stack.tables.webhook_idempotency!.name;
  const queueUrl = stack.queues.stripe_events!.url;
  for (let i = 0; i < instances; i += 1) {
    const instance = await startFunctionProcess({ role: { kind: 'http', functionId: 'webhook' }, env: { ...stack.env, LOG_LEVEL }, cpuProfileDir, logFile: join(logDir, `webhook-${i}.log`) });
    functions.push({ process: instance, url: new URL(`${instance.url!}/stripe/webhook`), inFlight: 0 });
  }
  /** The instance with the fewest requests in flight (the first of them): Lambda's idle instance. */
  const leastBusy = () => functions.reduce((best, f) => (f.inFlight < best.inFlight ? f : best));

  // A payment_intent.succeeded event of a usual size (about 2 KB), a new id each time.
  const eventBody = (id: string) =>
    JSON.stringify(
      {
        id,
        object: 'event',
        api_version: '2025-01-27.acacia',
        created: Math.floor(Date.now() / 1000),
        livemode: false,
        type: 'payment_intent.succeeded',
        pending_webhooks: 1,
        request: { id: `req_${id.slice(4, 18)}`, idempotency_key: randomUUID() },
        data: {
          object: {
            id: `pi_${id.slice(4)}`,
            object: 'payment_intent',
            amount: 2000,
            amount_received: 2000,
            capture_method: 'automatic_async',
            currency: 'usd',
            customer: 'cus_Bench0000000001',
            latest_charge: `ch_${id.slice(4)}`,
            metadata: { paymentId: `pay_${id.slice(4)}`, userId: 'bench-user' },
            payment_method: 'pm_1Bench00000000000000000',
            payment_method_types: ['card'],
            status: 'succeeded',
            description: 'Benchmark order',
          },
        },
      },
      null,
      2,
    );

  const postWebhook = (id: string, target = leastBusy()) =>
    new Promise<void>((resolve, reject) => {
      const body = eventBody(id);
      target.inFlight += 1;
      const settle = (error?: Error) => {
        target.inFlight -= 1;
        if (error) reject(error);
        else resolve();
      };
      const req = request(target.url, {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload: body, secret: webhookSecret }), 'content-length': Buffer.byteLength(body) },
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => settle(res.statusCode === 200 ? undefined : new Error(`answered ${res.statusCode}`)));
      });
      req.on('error', settle);
      req.end(body);
    });

  // The ingress's own two I/O calls, as the adapters make them.
  const ioPair = async (id: string) => {
    const now = Date.now();
    await dynamo.send(
      new PutItemCommand({
        TableName: table,
        Item: { eventId: { S: id }, type: { S: 'payment_intent.succeeded' }, status: { S: 'received' }, receivedAt: { N: String(now) }, leaseUntil: { N: String(now + 30_000) }, ttl: { N: String(Math.floor(now / 1000) + 2_592_000) } },
        ConditionExpression: 'attribute_not_exists(eventId) OR #ttl <= :nowSeconds OR (#status = :received AND leaseUntil <= :nowMs)',
        ExpressionAttributeNames: { '#ttl': 'ttl', '#status': 'status' },
        ExpressionAttributeValues: { ':nowSeconds': { N: String(Math.floor(now / 1000)) }, ':nowMs': { N: String(now) }, ':received': { S: 'received' } },
      }),
    );
    const body = eventBody(id);
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ eventId: id, type: 'payment_intent.succeeded', created: 0, livemode: false, payload: JSON.parse(body) as unknown }) }));
  };

  const run = randomUUID().replaceAll('-', '').slice(0, 12);
  // Every instance warm (its cold start, connections) before the clock runs.
  for (let i = 0; i < 50; i += 1) {
    for (const [n, f] of functions.entries()) await postWebhook(`evt_warm${run}f${n}i${i}`, f);
    await ioPair(`evt_warmio${run}${i}`);
  }
  console.log(`POST /stripe/webhook: ${seconds} s per rate, open-loop, at most ${maxInFlight} in flight, a new event each request; ${new Date().toISOString()}`);
  console.log(`set-up: emulators (dynalite, fauxqs, simulator) in 1 process; the webhook function in ${instances} process(es) behind the local API stand-in, each request to the least busy; this process sends the load and the reference put + send; LOG_LEVEL ${LOG_LEVEL}, metrics on`);
  console.log(`machine: ${machine()} before the first rate`);
  console.log('rate/s | webhook p50    p99   n  skip fail | put+send p50    p99   n | ratio p50   p99 | budget p99 <= 1.5x | load avg after');
  const cpuLines: string[] = [];
  for (const rate of rates) {
    const functionCpu = () => functions.map((f) => cpuMs(f.process.pid));
    const [webhookFnBefore, webhookEmuBefore] = [functionCpu(), [cpuMs(stackPid)]];
    const webhook = await atFixedRate(rate, (i) => postWebhook(`evt_b${run}r${rate}n${i}`));
    const [webhookFnAfter, webhookEmuAfter, ioBefore, ioEmuBefore] = [functionCpu(), [cpuMs(stackPid)], [cpuMs(process.pid)], [cpuMs(stackPid)]];
    const io = await atFixedRate(rate, (i) => ioPair(`evt_io${run}r${rate}n${i}`));
    const [ioAfter, ioEmuAfter] = [[cpuMs(process.pid)], [cpuMs(stackPid)]];
    const requests = Math.max(1, webhook.times.length + webhook.failed);
    const pairs = Math.max(1, io.times.length + io.failed);
    cpuLines.push(
      `${String(rate).padStart(6)} | webhook ${cpuPer(webhookFnBefore, webhookFnAfter, requests)} ms in the function + ${cpuPer(webhookEmuBefore, webhookEmuAfter, requests)} ms in the emulators;` +
        ` put + send ${cpuPer(ioBefore, ioAfter, pairs)} ms in this process + ${cpuPer(ioEmuBefore, ioEmuAfter, pairs)} ms in the emulators`,
    );
    const [w50, w99, i50, i99] = [percentile(webhook.times, 50), percentile(webhook.times, 99), percentile(io.times, 50), percentile(io.times, 99)];
    const ratio99 = w99 / i99;
    console.log(
      `${String(rate).padStart(6)} | ${w50.toFixed(1).padStart(11)} ${w99.toFixed(1).padStart(6)} ${String(webhook.times.length).padStart(5)} ${String(webhook.skipped).padStart(4)} ${String(webhook.failed).padStart(4)} |` +
        ` ${i50.toFixed(1).padStart(12)} ${i99.toFixed(1).padStart(6)} ${String(io.times.length).padStart(5)} |` +
        ` ${(w50 / i50).toFixed(2).padStart(8)}x ${ratio99.toFixed(2).padStart(5)}x | ${(ratio99 <= BUDGET ? 'ok' : 'OVER').padEnd(18)} | ${loadAverage()}`,
    );
  }
  console.log(`function logs: ${logDir}`);
  console.log('CPU per request (user + system, from /proc):');
  for (const line of cpuLines) console.log(line);
  dynamo.destroy();
  sqs.destroy();
} finally {
  agent.destroy();
  await Promise.all(functions.map((f) => f.process.stop()));
  await stopStack();
  rmSync(dataDir, { recursive: true, force: true });
}
