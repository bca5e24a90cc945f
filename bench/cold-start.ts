// Cold start of each Lambda function against its floor (bench/lib/floors.ts): a bundle built the
// same way that only constructs the clients the function may call and makes the same calls. Each
// round runs, in fresh `node` processes and alternating order, the function and its floor twice:
// importing the bundle (init) and importing it plus one invocation (first invoke). Endpoints are
// local fakes answering at once; NODE_EXTRA_CA_CERTS is unset (it adds ~50 ms to any start here).
// Prints medians, ratios to the floor and the budget (first invoke within 1.15x; what a cold start
// loads within the floor's + 150 KB, docs/adr/0011-cold-start-budget.md; the whole package is shown too).
// The CPU time of the first-invoke processes is printed beside their wall time: on a machine others
// are using, wall times stretch with the load while CPU ratios stay close to an idle machine's.
// Usage: npm run bench -- [--runs 15] [--only customer]
import { createHmac } from 'node:crypto';
import { rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { buildFunctions } from '../scripts/build';
import { repoRoot } from '../scripts/lib/resources';
import { mintToken } from '../scripts/lib/token';
import { httpEvent } from '../shared/test/support/api-gateway-event';
import { median, timeRun, type Sample } from './lib/cold-run';
import { startFakeEndpoints } from './lib/fake-endpoints';
import { BENCHMARKS, buildFloor, withinSizeBudget, type FunctionBenchmark } from './lib/floors';

const flag = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const runs = Number(flag('--runs') ?? 15);
const only = flag('--only');
const JWT_SECRET = 'bench-jwt-secret-0123456789abcdef0123456789';
const INVOKE_BUDGET = 1.15;

async function benchEvent(request: FunctionBenchmark['request']): Promise<unknown> {
  if ('sqsBody' in request) {
    const sentAt = String(Date.now());
    return {
      Records: [
        {
          messageId: 'bench-1',
          receiptHandle: 'bench',
          body: request.sqsBody,
          attributes: { ApproximateReceiveCount: '1', SentTimestamp: sentAt, SenderId: 'bench', ApproximateFirstReceiveTimestamp: sentAt },
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:bench',
          awsRegion: 'us-east-1',
        },
      ],
    };
  }
  const token = request.token ? await mintToken(JWT_SECRET, { sub: 'bench-user', role: request.token.role }, 600) : undefined;
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (request.stripeSignature) headers['stripe-signature'] = webhookSignature(request.body ?? '', JWT_SECRET);
  const event = httpEvent(request.routeKey, { headers, ...(request.body ? { body: request.body } : {}) });
  if (request.query) event.queryStringParameters = request.query;
  return event;
}

/** Stripe's `Stripe-Signature` header for `body` (every faked secret has the same value). */
function webhookSignature(body: string, secret: string): string {
  const timestamp = Math.floor(Date.now() / 1000);
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

const fake = await startFakeEndpoints(JWT_SECRET);
// Inside the repository, so that the floors resolve the same node_modules as the functions.
const floors = join(repoRoot, 'dist', 'floors');
try {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_ENDPOINT_URL_DYNAMODB: fake.url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: fake.url,
    AWS_ENDPOINT_URL_SQS: fake.url,
    AWS_ENDPOINT_URL_SNS: fake.url,
    BILLING_EVENTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:bench-billing-events',
    SUBSCRIPTIONS_TABLE: 'subscriptions',
    STRIPE_EVENTS_QUEUE_URL: `${fake.url}/000000000000/bench-events`,
    WEBHOOK_IDEMPOTENCY_TABLE: 'webhook-idempotency',
    AWS_ENDPOINT_URL_SESV2: fake.url,
    NOTIFICATIONS_SENT_TABLE: 'notifications-sent',
    MAIL_FROM: 'billing@example.com',
    BUSINESS_NAME: 'Bench Store',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    STRIPE_API_URL: fake.url,
    SECRETS_SOURCE: 'aws',
    PROJECT_NAME: 'bench',
    ENVIRONMENT: 'perf',
    STRIPE_CUSTOMERS_TABLE: 'customers',
    PAYMENTS_TABLE: 'payments',
    API_IDEMPOTENCY_TABLE: 'idempotency',
    PRODUCTS_TABLE: 'products',
    PRICES_TABLE: 'prices',
  };
  const built = (await buildFunctions()).filter((fn) => !only || fn.id === only);
  console.log(`cold start: ${runs} paired rounds per function, Node ${process.version}, ${new Date().toISOString()}`);
  console.log(`load average ${loadavg().map((load) => load.toFixed(2)).join(' ')} (${availableParallelism()} CPUs)`);
  console.log('function    package  floor   +KB | at init  floor   +KB | init ms  floor  ratio | 1st invoke ms  floor  ratio | cpu ms  floor  ratio | budget');
  for (const fn of built) {
    const spec = BENCHMARKS[fn.id];
    if (!spec) throw new Error(`no benchmark for function ${fn.id}: add one to bench/lib/floors.ts`);
    const floor = await buildFloor(fn.id, floors);
    const eventJson = JSON.stringify(await benchEvent(spec.request));
    const samples = { init: [] as Sample[], floorInit: [] as Sample[], invoke: [] as Sample[], floorInvoke: [] as Sample[] };
    for (let round = 0; round < runs; round += 1) {
      const pair = async (mine: Sample[], theirs: Sample[], mode: string) => {
        if (round % 2 === 0) {
          mine.push(await timeRun(env, [fn.bundle, mode, eventJson]));
          theirs.push(await timeRun(env, [floor.bundle, mode, eventJson]));
        } else {
          theirs.push(await timeRun(env, [floor.bundle, mode, eventJson]));
          mine.push(await timeRun(env, [fn.bundle, mode, eventJson]));
        }
      };
      await pair(samples.init, samples.floorInit, 'init');
      await pair(samples.invoke, samples.floorInvoke, 'invoke');
    }
    const wall = (of: Sample[]) => median(of.map((sample) => sample.wallMs));
    const cpu = (of: Sample[]) => median(of.map((sample) => sample.cpuMs));
    const [init, floorInit, invoke, floorInvoke] = [wall(samples.init), wall(samples.floorInit), wall(samples.invoke), wall(samples.floorInvoke)];
    const [invokeCpu, floorInvokeCpu] = [cpu(samples.invoke), cpu(samples.floorInvoke)];
    const kb = (bytes: number, width: number) => (bytes / 1024).toFixed(0).padStart(width);
    const withinInvoke = invoke / floorInvoke <= INVOKE_BUDGET;
    const withinSize = withinSizeBudget(fn.initBytes, floor.initBytes);
    console.log(
      `${fn.id.padEnd(10)} ${kb(fn.bundleBytes, 6)} KB ${kb(floor.bytes, 4)} KB ${kb(fn.bundleBytes - floor.bytes, 5)} |` +
        ` ${kb(fn.initBytes, 4)} KB ${kb(floor.initBytes, 4)} KB ${kb(fn.initBytes - floor.initBytes, 5)} |` +
        ` ${init.toFixed(1).padStart(7)} ${floorInit.toFixed(1).padStart(6)} ${(init / floorInit).toFixed(2).padStart(5)}x |` +
        ` ${invoke.toFixed(1).padStart(13)} ${floorInvoke.toFixed(1).padStart(6)} ${(invoke / floorInvoke).toFixed(2).padStart(5)}x |` +
        ` ${invokeCpu.toFixed(1).padStart(6)} ${floorInvokeCpu.toFixed(1).padStart(6)} ${(invokeCpu / floorInvokeCpu).toFixed(2).padStart(5)}x |` +
        ` ${withinInvoke ? 'invoke ok' : `invoke OVER ${INVOKE_BUDGET}x`}, ${withinSize ? 'size ok' : 'size OVER'}`,
    );
  }
  console.log(`load average ${loadavg().map((load) => load.toFixed(2)).join(' ')} at the end`);
} finally {
  await fake.stop();
  rmSync(floors, { recursive: true, force: true });
}
