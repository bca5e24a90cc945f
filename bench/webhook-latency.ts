// Latency of POST /stripe/webhook on the local stack at fixed arrival rates, next to the two I/O
// calls the ingress cannot avoid (the conditional put of the receipt and the send to the events
// queue) made directly against the same emulators at the same rate in the same run, so the ratio
// shows what the ingress adds: the HTTP hop, signature check, parsing, the enqueued mark. The
// stack runs in its own process (as `npm run dev` does: API, functions and emulators together);
// this process only sends.
// Arrivals are open-loop (one request every 1/rate s whether or not earlier ones answered) and
// bounded: past --max-in-flight outstanding requests a tick is skipped and counted.
// Usage: npm run bench:webhook -- [--seconds 30] [--rates 50,100,200] [--max-in-flight 500]
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import Stripe from 'stripe';
import type { describe as describeStack } from '../scripts/dev-stack/index';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const flag = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const seconds = Number(flag('--seconds') ?? 30);
const rates = (flag('--rates') ?? '50,100,200').split(',').map(Number);
const maxInFlight = Number(flag('--max-in-flight') ?? 500);
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

type Stack = ReturnType<typeof describeStack>;

const dataDir = mkdtempSync(join(tmpdir(), 'webhook-latency-'));
const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'lib', 'stack-process.ts'), dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
const stack = await new Promise<Stack>((resolve, reject) => {
  child.once('exit', (code) => reject(new Error(`the local stack exited with ${code} before it was ready`)));
  createInterface({ input: child.stdout }).once('line', (line) => resolve(JSON.parse(line) as Stack));
});
const stopStack = () =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
const agent = new Agent({ keepAlive: true, maxSockets: maxInFlight });
try {
  const secrets = JSON.parse(readFileSync(stack.secretsFile, 'utf8')) as Record<string, string>;
  const webhookSecret = secrets[`${stack.projectName}-${stack.environment}-stripe-webhook-secret`]!;
  const stripe = new Stripe('sk_test_unused');
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const dynamo = new DynamoDBClient({ region: stack.region, endpoint: stack.endpoints.dynamodb, credentials });
  const sqs = new SQSClient({ region: stack.region, endpoint: stack.endpoints.sqs, credentials });
  const table = stack.tables.webhook_idempotency!.name;
  const queueUrl = stack.queues.stripe_events!.url;
  const api = new URL(`${stack.apiUrl}/stripe/webhook`);

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

  const postWebhook = (id: string) =>
    new Promise<void>((resolve, reject) => {
      const body = eventBody(id);
      const req = request(api, {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload: body, secret: webhookSecret }), 'content-length': Buffer.byteLength(body) },
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`answered ${res.statusCode}`))));
      });
      req.on('error', reject);
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
  for (let i = 0; i < 50; i += 1) {
    await postWebhook(`evt_warm${run}${i}`);
    await ioPair(`evt_warmio${run}${i}`);
  }
  console.log(`POST /stripe/webhook on the local stack: ${seconds} s per rate, open-loop, at most ${maxInFlight} in flight, a new event each request; Node ${process.version}, ${new Date().toISOString()}`);
  console.log('rate/s | webhook p50    p99   n  skip fail | put+send p50    p99   n | ratio p50   p99 | budget p99 <= 1.5x');
  for (const rate of rates) {
    const webhook = await atFixedRate(rate, (i) => postWebhook(`evt_b${run}r${rate}n${i}`));
    const io = await atFixedRate(rate, (i) => ioPair(`evt_io${run}r${rate}n${i}`));
    const [w50, w99, i50, i99] = [percentile(webhook.times, 50), percentile(webhook.times, 99), percentile(io.times, 50), percentile(io.times, 99)];
    const ratio99 = w99 / i99;
    console.log(
      `${String(rate).padStart(6)} | ${w50.toFixed(1).padStart(11)} ${w99.toFixed(1).padStart(6)} ${String(webhook.times.length).padStart(5)} ${String(webhook.skipped).padStart(4)} ${String(webhook.failed).padStart(4)} |` +
        ` ${i50.toFixed(1).padStart(12)} ${i99.toFixed(1).padStart(6)} ${String(io.times.length).padStart(5)} |` +
        ` ${(w50 / i50).toFixed(2).padStart(8)}x ${ratio99.toFixed(2).padStart(5)}x | ${ratio99 <= BUDGET ? 'ok' : 'OVER'}`,
    );
  }
  dynamo.destroy();
  sqs.destroy();
} finally {
  agent.destroy();
  await stopStack();
  rmSync(dataDir, { recursive: true, force: true });
}
