// Cold start of each Lambda function against its floor (bench/lib/floors.ts): a bundle built the
// same way that only constructs the clients the function may call and makes the same calls; and
// against its framework floor: the same calls made from inside what every function of its role
// carries (Powertools, inversify where it composes with it). Each round runs, in fresh `node`
// processes and alternating order, the function and its floor importing the bundle (init), then
// the function, its floor and its framework floor importing it and invoking it once (first invoke).
// Endpoints are local fakes answering at once; NODE_EXTRA_CA_CERTS is unset (it adds ~50 ms to any
// start here). Prints medians, ratios and the budget (docs/adr/0011-cold-start-budget.md): first
// invoke within 1.15x of the framework floor; what a cold start loads within the floor's + 150 KB
// (the whole package is shown too). The ratios to the floor are printed as well: how far each
// function is from a bare handler.
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
import { BENCHMARKS, buildFloor, buildFrameworkFloor, withinSizeBudget, type FunctionBenchmark } from './lib/floors';

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
  if (built.length === 0) throw new Error(`no function ${only}`);
  console.log(`cold start: ${runs} paired rounds per function, Node ${process.version}, ${new Date().toISOString()}`);
  console.log(`load average ${loadavg().map((load) => load.toFixed(2)).join(' ')} (${availableParallelism()} CPUs)`);
  const rows: { id: string; floor: string; framework: string }[] = [];
  for (const fn of built) {
    const spec = BENCHMARKS[fn.id];
    if (!spec) throw new Error(`no benchmark for function ${fn.id}: add one to bench/lib/floors.ts`);
    const floor = await buildFloor(fn.id, floors);
    const framework = await buildFrameworkFloor(fn.id, floors);
    const eventJson = JSON.stringify(await benchEvent(spec.request));
    const samples = {
      init: [] as Sample[], floorInit: [] as Sample[],
      invoke: [] as Sample[], floorInvoke: [] as Sample[], frameworkInvoke: [] as Sample[],
    };
    for (let round = 0; round < runs; round += 1) {
      // Each round in turn forwards and backwards, so that no bundle always runs first or last.
      const inTurn = async (mode: string, runs: [string, Sample[]][]) => {
        for (const [bundle, into] of round % 2 === 0 ? runs : [...runs].reverse()) into.push(await timeRun(env, [bundle, mode, eventJson]));
      };
      await inTurn('init', [[fn.bundle, samples.init], [floor.bundle, samples.floorInit]]);
      await inTurn('invoke', [[fn.bundle, samples.invoke], [floor.bundle, samples.floorInvoke], [framework.bundle, samples.frameworkInvoke]]);
    }
    process.stderr.write(`${fn.id}: ${runs} rounds done\n`);
    const wall = (of: Sample[]) => median(of.map((sample) => sample.wallMs));
    const cpu = (of: Sample[]) => median(of.map((sample) => sample.cpuMs));
    const [init, floorInit, invoke, floorInvoke, frameworkInvoke] = [samples.init, samples.floorInit, samples.invoke, samples.floorInvoke, samples.frameworkInvoke].map(wall) as [number, number, number, number, number];
    const [invokeCpu, floorInvokeCpu, frameworkInvokeCpu] = [samples.invoke, samples.floorInvoke, samples.frameworkInvoke].map(cpu) as [number, number, number];
    const kb = (bytes: number, width: number) => (bytes / 1024).toFixed(0).padStart(width);
    const ms = (value: number, width: number) => value.toFixed(1).padStart(width);
    const ratio = (value: number, of: number) => `${(value / of).toFixed(2).padStart(5)}x`;
    const withinInvoke = invoke / frameworkInvoke <= INVOKE_BUDGET;
    const withinSize = withinSizeBudget(fn.initBytes, floor.initBytes);
    rows.push({
      id: fn.id,
      floor:
        `${fn.id.padEnd(13)} ${kb(fn.bundleBytes, 6)} KB ${kb(floor.bytes, 4)} KB ${kb(fn.bundleBytes - floor.bytes, 5)} |` +
        ` ${kb(fn.initBytes, 4)} KB ${kb(floor.initBytes, 4)} KB ${kb(fn.initBytes - floor.initBytes, 5)} |` +
        ` ${ms(init, 7)} ${ms(floorInit, 6)} ${ratio(init, floorInit)} |` +
        ` ${ms(invoke, 13)} ${ms(floorInvoke, 6)} ${ratio(invoke, floorInvoke)} |` +
        ` ${ms(invokeCpu, 6)} ${ms(floorInvokeCpu, 6)} ${ratio(invokeCpu, floorInvokeCpu)} |` +
        ` ${withinSize ? 'size ok' : 'size OVER'}`,
      framework:
        `${fn.id.padEnd(13)} ${kb(framework.initBytes, 7)} KB |` +
        ` ${ms(invoke, 13)} ${ms(frameworkInvoke, 15)} ${ratio(invoke, frameworkInvoke)} |` +
        ` ${ms(invokeCpu, 6)} ${ms(frameworkInvokeCpu, 15)} ${ratio(invokeCpu, frameworkInvokeCpu)} |` +
        ` ${withinInvoke ? 'invoke ok' : `invoke OVER ${INVOKE_BUDGET}x`}, ${withinSize ? 'size ok' : 'size OVER'}`,
    });
  }
  console.log('\nagainst the floor (sizes: the size budget, floor + 150 KB at init; times: how far from a bare handler)');
  const head = (columns: [string, number][]) => columns.map(([name, width]) => name.padStart(width)).join(' ');
  console.log(
    `${'function'.padEnd(13)} ${head([['package', 9], ['floor', 7], ['+KB', 5]])} | ${head([['at init', 7], ['floor', 7], ['+KB', 5]])} |` +
      ` ${head([['init ms', 7], ['floor', 6], ['ratio', 6]])} | ${head([['1st invoke ms', 13], ['floor', 6], ['ratio', 6]])} | ${head([['cpu ms', 6], ['floor', 6], ['ratio', 6]])} | size`,
  );
  for (const row of rows) console.log(row.floor);
  console.log(`\nagainst the framework floor (the time budget: first invoke, wall, within ${INVOKE_BUDGET}x; size as above)`);
  console.log(
    `${'function'.padEnd(13)} ${head([['at init', 10]])} | ${head([['1st invoke ms', 13], ['framework floor', 15], ['ratio', 6]])} |` +
      ` ${head([['cpu ms', 6], ['framework floor', 15], ['ratio', 6]])} | budget`,
  );
  for (const row of rows) console.log(row.framework);
  console.log(`load average ${loadavg().map((load) => load.toFixed(2)).join(' ')} at the end`);
} finally {
  await fake.stop();
  rmSync(floors, { recursive: true, force: true });
}
