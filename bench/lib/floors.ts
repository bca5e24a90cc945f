// Each function's floor: a bundle built the same way that only constructs the clients the function
// may call and, when invoked, makes the same calls its handler makes for the benchmark's request.
// What a function costs above its floor is what our own code (composition, validation, mapping)
// and the libraries the design requires (inversify, Powertools) add. Each function also has a
// framework floor: the same calls made from inside those libraries, used as the function uses them;
// the cold-start time budget is stated against it, the size budget against the floor
// (docs/adr/0011-cold-start-budget.md).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleEntry } from '../../scripts/build';
import { repoRoot } from '../../scripts/lib/resources';
import { TELEMETRY, containerSource, httpHandlerSource, workerHandlerSource } from './framework-wrappers';

type Client = 'dynamodb' | 'secrets' | 'sqs' | 'sns' | 'sesv2' | 'stripe';
type Call = { dynamodb: 'DescribeTable' | 'GetItem' | 'BatchGetItem' | 'Query' | 'Scan' | 'PutItem' | 'UpdateItem' } | { secret: string } | { fetch: string } | { sqs: 'SendMessage' } | { sns: 'Publish' } | { ses: 'SendEmail' };

export interface FunctionBenchmark {
  /** The clients the function may call; the floor constructs them at init. */
  clients: Client[];
  /** The first invocation: an API Gateway request, or (a worker) a batch of one SQS message with this body. */
  request: HttpBenchRequest | { sqsBody: string };
  /** The calls the function makes for that request, in order; the floor makes the same ones. */
  calls: Call[];
  /** Bundled into the floor as well when the function serves it (the OpenAPI document). */
  imports?: string[];
  /** False for a function whose composition builds no inversify container: its framework floor has none either. */
  inversify?: false;
}

export interface HttpBenchRequest {
  routeKey: string;
  path: string;
  query?: Record<string, string>;
  token?: { role: string };
  body?: string;
  /** Signed as Stripe signs webhooks, with the secret the fake Secrets Manager serves. */
  stripeSignature?: boolean;
}

const JWT_SECRET_ID = 'bench-perf-jwt-access-token-secret';

export const BENCHMARKS: Record<string, FunctionBenchmark> = {
  health: {
    clients: ['dynamodb', 'secrets'],
    request: { routeKey: 'GET /stripe/health', path: '/stripe/health' },
    calls: [{ dynamodb: 'DescribeTable' }, { secret: 'bench-perf-stripe-secret-key' }, { fetch: '/v1/customers?limit=1' }],
  },
  customer: {
    clients: ['dynamodb', 'secrets', 'stripe'],
    request: { routeKey: 'GET /stripe/customer', path: '/stripe/customer', token: { role: 'user' } },
    calls: [{ secret: JWT_SECRET_ID }, { dynamodb: 'GetItem' }],
  },
  payments: {
    clients: ['dynamodb', 'secrets', 'stripe'],
    request: { routeKey: 'GET /stripe/payments', path: '/stripe/payments', query: { limit: '10' }, token: { role: 'user' } },
    calls: [{ secret: JWT_SECRET_ID }, { dynamodb: 'Query' }],
  },
  catalog: {
    clients: ['dynamodb', 'secrets', 'stripe'],
    request: { routeKey: 'POST /stripe/catalog/sync', path: '/stripe/catalog/sync', token: { role: 'admin' } },
    calls: [{ secret: JWT_SECRET_ID }, { dynamodb: 'Scan' }],
  },
  webhook: {
    clients: ['dynamodb', 'secrets', 'sqs'],
    request: {
      routeKey: 'POST /stripe/webhook',
      path: '/stripe/webhook',
      body: JSON.stringify({ id: 'evt_bench1', object: 'event', type: 'payment_intent.succeeded', created: 1767225600, livemode: false, data: { object: { id: 'pi_bench1', object: 'payment_intent' } } }),
      stripeSignature: true,
    },
    calls: [{ secret: 'bench-perf-stripe-webhook-secret' }, { dynamodb: 'PutItem' }, { sqs: 'SendMessage' }],
  },
  notifications: {
    clients: ['dynamodb', 'sesv2'],
    // A receipt for a customer whose address the fake DynamoDB knows (bench/lib/fake-endpoints.ts).
    request: {
      sqsBody: JSON.stringify({
        id: 'bevt_evt_bench1', type: 'payment.successful', version: 1, occurredAt: '2026-01-01T00:00:00.000Z', userId: 'bench-mail-user',
        stripeCustomerId: 'cus_bench', livemode: false, source: { stripeEventId: 'evt_bench1', stripeEventType: 'payment_intent.succeeded' },
        data: {
          paymentId: 'pay_bench', paymentIntentId: 'pi_bench', status: 'succeeded', amount: 2000, currency: 'usd', amountCapturable: 0, amountReceived: 2000,
          amountRefunded: 0, captureMethod: 'automatic', description: null, failure: null, refund: null, dispute: null, cancellationReason: null, metadata: {},
        },
      }),
    },
    calls: [{ dynamodb: 'GetItem' }, { dynamodb: 'PutItem' }, { ses: 'SendEmail' }, { dynamodb: 'UpdateItem' }],
  },
  'events-worker': {
    clients: ['dynamodb', 'sns'],
    // payment_intent.succeeded for a payment of the API, whose row the fake DynamoDB knows (bench/lib/fake-endpoints.ts).
    request: {
      sqsBody: JSON.stringify({
        eventId: 'evt_bench1', type: 'payment_intent.succeeded', created: 1767225700, livemode: false,
        payload: {
          id: 'evt_bench1', object: 'event', type: 'payment_intent.succeeded', created: 1767225700, livemode: false,
          data: { object: { id: 'pi_bench', object: 'payment_intent', status: 'succeeded', amount: 2000, amount_capturable: 0, amount_received: 2000, currency: 'usd', capture_method: 'automatic_async', customer: 'cus_bench', metadata: { userId: 'bench-pay-user', paymentId: 'pay_bench' }, created: 1767225600 } },
        },
      }),
    },
    // The event's record and its payment read together, the payment put, the publish, the processed mark (a put of the record read).
    calls: [{ dynamodb: 'BatchGetItem' }, { dynamodb: 'PutItem' }, { sns: 'Publish' }, { dynamodb: 'PutItem' }],
  },
  openapi: {
    clients: [],
    request: { routeKey: 'GET /stripe/openapi.json', path: '/stripe/openapi.json' },
    calls: [],
    imports: ['services/stripe-service/openapi.json'],
    inversify: false,
  },
};

interface FloorParts {
  imports: string[];
  /** The clients the floor constructs, in order: a binding's name, what must be declared before it, and the expression building it. */
  clients: { name: string; before?: string; build: string }[];
  /** The calls of one invocation (a worker's: of its one record), each a statement using the clients by name. */
  calls: string[];
  /** The source of what an HTTP function answers with. */
  body: string;
}

function floorParts(spec: FunctionBenchmark): FloorParts {
  const imports: string[] = [];
  const clients: FloorParts['clients'] = [];
  const has = (client: Client) => spec.clients.includes(client);
  const dynamoCommands = [...new Set(spec.calls.flatMap((c) => ('dynamodb' in c ? [`${c.dynamodb}Command`] : [])))];
  if (has('dynamodb')) imports.push(`import { DynamoDBClient${dynamoCommands.map((c) => `, ${c}`).join('')} } from '@aws-sdk/client-dynamodb';`);
  if (has('secrets')) imports.push(`import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';`);
  if (has('sqs')) imports.push(`import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';`);
  if (has('sns')) imports.push(`import { SNSClient, PublishCommand } from '@aws-sdk/client-sns';`);
  if (has('sesv2')) imports.push(`import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';`);
  if (has('stripe')) imports.push(`import Stripe from 'stripe';`);
  (spec.imports ?? []).forEach((path, i) => imports.push(`import imported${i} from ${JSON.stringify(join(repoRoot, path))};`));
  if (has('dynamodb')) clients.push({ name: 'dynamodb', build: `new DynamoDBClient({ region: process.env.AWS_REGION, endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB })` });
  if (has('secrets')) clients.push({ name: 'secrets', build: `new SecretsManagerClient({ region: process.env.AWS_REGION, endpoint: process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER })` });
  if (has('sqs')) clients.push({ name: 'sqs', build: `new SQSClient({ region: process.env.AWS_REGION, endpoint: process.env.AWS_ENDPOINT_URL_SQS })` });
  if (has('sns')) clients.push({ name: 'sns', build: `new SNSClient({ region: process.env.AWS_REGION, endpoint: process.env.AWS_ENDPOINT_URL_SNS })` });
  if (has('sesv2')) clients.push({ name: 'ses', build: `new SESv2Client({ region: process.env.AWS_REGION, endpoint: process.env.AWS_ENDPOINT_URL_SESV2 })` });
  if (has('stripe')) {
    clients.push({
      name: 'stripe',
      before: `const api = new URL(process.env.STRIPE_API_URL ?? 'https://api.stripe.com');`,
      build: `new Stripe('sk_test_floor', { host: api.hostname, port: api.port, protocol: api.protocol.replace(':', '') })`,
    });
  }
  const calls: string[] = [];
  for (const call of spec.calls) {
    if ('dynamodb' in call) {
      const input =
        call.dynamodb === 'GetItem'
          ? `{ TableName: 't', Key: { userId: { S: 'u' } } }`
          : call.dynamodb === 'BatchGetItem'
            ? `{ RequestItems: { e: { Keys: [{ eventId: { S: 'e' } }], ConsistentRead: true }, t: { Keys: [{ userId: { S: 'bench-pay-user' }, paymentId: { S: 'pay_bench' } }], ConsistentRead: true } } }`
          : call.dynamodb === 'Query'
            ? `{ TableName: 't', KeyConditionExpression: 'userId = :u', ExpressionAttributeValues: { ':u': { S: 'u' } } }`
            : call.dynamodb === 'PutItem'
              ? `{ TableName: 't', Item: { eventId: { S: 'e' } }, ConditionExpression: 'attribute_not_exists(eventId)' }`
              : call.dynamodb === 'UpdateItem'
                ? `{ TableName: 't', Key: { eventId: { S: 'e' } }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'enqueued' } } }`
                : `{ TableName: 't' }`;
      calls.push(`await dynamodb.send(new ${call.dynamodb}Command(${input}));`);
    } else if ('sqs' in call) {
      calls.push(`await sqs.send(new SendMessageCommand({ QueueUrl: process.env.STRIPE_EVENTS_QUEUE_URL, MessageBody: '{}' }));`);
    } else if ('sns' in call) {
      calls.push(`await sns.send(new PublishCommand({ TopicArn: process.env.BILLING_EVENTS_TOPIC_ARN, Message: '{}', MessageAttributes: { type: { DataType: 'String', StringValue: 'payment.successful' } } }));`);
    } else if ('ses' in call) {
      calls.push(`await ses.send(new SendEmailCommand({ FromEmailAddress: 'a@example.com', Destination: { ToAddresses: ['b@example.com'] }, Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' }, Html: { Data: 'h' } } } } }));`);
    } else if ('secret' in call) {
      calls.push(`await secrets.send(new GetSecretValueCommand({ SecretId: ${JSON.stringify(call.secret)} }));`);
    } else {
      calls.push(`await (await fetch(new URL(${JSON.stringify(call.fetch)}, process.env.STRIPE_API_URL))).text();`);
    }
  }
  return { imports, clients, calls, body: spec.imports?.length ? 'JSON.stringify(imported0)' : "''" };
}

/** The floor: its clients constructed at init, its calls made straight from the handler. */
export function floorSource(spec: FunctionBenchmark): string {
  const parts = floorParts(spec);
  const lines = [...parts.imports];
  for (const client of parts.clients) {
    if (client.before) lines.push(client.before);
    // Exported so that a client the calls never use is still built, as the function may build it.
    lines.push(`${client.name === 'stripe' ? 'export ' : ''}const ${client.name} = ${client.build};`);
  }
  lines.push('export const handler = async () => {');
  lines.push(...parts.calls.map((call) => `  ${call}`));
  lines.push(`  return { statusCode: 200, body: ${parts.body} };`);
  lines.push('};');
  return `${lines.join('\n')}\n`;
}

/**
 * The framework floor: the floor's clients and calls inside what every function of its role
 * carries (bench/lib/framework-wrappers.ts). Where the function composes with inversify, each
 * client is a `toDynamicValue` binding and the calls are one use case resolved over them on the
 * first invoke; otherwise the clients are built at init as in the floor. A worker makes the calls
 * for its one record inside Powertools' batch processing.
 */
export function frameworkFloorSource(spec: FunctionBenchmark): string {
  const parts = floorParts(spec);
  const names = parts.clients.map((client) => client.name);
  const execute = `async () => {\n${parts.calls.map((call) => `  ${call}`).join('\n')}\n  return ${parts.body};\n}`;
  const lines = [...parts.imports, TELEMETRY];
  lines.push(...parts.clients.flatMap((client) => (client.before ? [client.before] : [])));
  if (spec.inversify === false) {
    lines.push(...parts.clients.map((client) => `const ${client.name} = ${client.build};`));
    lines.push(`const execute = ${execute};`);
  } else {
    const bindings = parts.clients.map((client) => ({ name: client.name, factory: `() => ${client.build}` }));
    lines.push(containerSource(bindings, `(${names.join(', ')}) => ({ execute: ${execute} })`));
  }
  const [compose, run] = spec.inversify === false ? [undefined, 'execute()'] : ['compose()', 'deps.execute()'];
  lines.push(
    'sqsBody' in spec.request
      ? workerHandlerSource({ ...(compose ? { compose } : {}), work: `await ${run};` })
      : httpHandlerSource({ ...(compose ? { compose } : {}), work: `body = await ${run};`, authenticated: spec.request.token !== undefined }),
  );
  return `${lines.join('\n')}\n`;
}

/** Builds the floor of one function into `outDir`; returns the bundle's path and size. */
export async function buildFloor(id: string, outDir: string): Promise<BuiltFloor> {
  return buildFrom(id, outDir, 'floor', floorSource);
}

/** Builds the framework floor of one function into `outDir`; returns the bundle's path and size. */
export async function buildFrameworkFloor(id: string, outDir: string): Promise<BuiltFloor> {
  return buildFrom(id, outDir, 'framework-floor', frameworkFloorSource);
}

export interface BuiltFloor {
  bundle: string;
  bytes: number;
  initBytes: number;
  /** The source modules bundled into what its cold start evaluates. */
  initModules: string[];
}

async function buildFrom(id: string, outDir: string, kind: string, source: (spec: FunctionBenchmark) => string): Promise<BuiltFloor> {
  const spec = BENCHMARKS[id];
  if (!spec) throw new Error(`no benchmark for function ${id}: add one to bench/lib/floors.ts`);
  const dir = join(outDir, `${id}-${kind}`);
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, 'entry.ts');
  writeFileSync(entry, source(spec));
  const bundle = await bundleEntry(entry, join(dir, 'out'));
  return { bundle: bundle.entry, bytes: bundle.bytes, initBytes: bundle.initBytes, initModules: bundle.initModules };
}

/** The budget: what a function loads at cold start may be at most what its floor loads plus this. */
export const BUNDLE_ALLOWANCE_BYTES = 150 * 1024;

/**
 * Measured on the bytes a cold start evaluates (the entry and its static imports), not the whole
 * package: chunks imported on first use cost only the requests that use them (docs/adr/0011).
 */
export function withinSizeBudget(initBytes: number, floorInitBytes: number): boolean {
  return initBytes <= floorInitBytes + BUNDLE_ALLOWANCE_BYTES;
}
