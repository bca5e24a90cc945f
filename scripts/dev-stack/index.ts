// The whole service on one machine: DynamoDB (dynalite, persisted), SQS and SNS (fauxqs), the
// Stripe simulator (persisted), every resource of resources.json, the HTTP API and the queue
// workers, all in this process so that Ctrl-C stops everything at once.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import dynalite from 'dynalite';
import { buildApp } from 'fauxqs';
import { ensureTable } from '../lib/tables';
import { loadResources, physicalName, type ResourceDefinition } from '../lib/resources';
import { startStripeSimulator } from '../stripe-simulator/index';
import { docsPages } from './docs-page';
import { compileRoute, listen, PortInUseError, startHttpApi, type Route } from './http-api';
import { invoke, loadHandler } from './lambda-runtime';
import { outboxDir, outboxPages } from './outbox-page';
import { ensureLocalSecrets } from './local-secrets';
import { registerLocalWebhookEndpoint } from './webhook-endpoint';
import { startSqsPoller, type SqsPoller } from './sqs-poller';

export const DEFAULT_PORTS = { api: 3000, dynamodb: 8000, sqs: 4566, stripe: 12111 } as const;
export const LOCAL_REGION = 'us-east-1';
/** Where Stripe delivers webhooks; the local stack registers it with the simulator when a function serves it. */
export const WEBHOOK_ROUTE = 'POST /stripe/webhook';
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
/** The sender and business the local stack's emails name. */
export const LOCAL_MAIL_FROM = 'billing@example.com';
export const LOCAL_BUSINESS_NAME = 'Example Store';

export interface LocalStackOptions {
  /** Where state is kept across restarts (DynamoDB, Stripe simulator, secrets). */
  dataDir: string;
  /** Throw the data away first. */
  fresh?: boolean;
  host?: string;
  apiPort?: number;
  dynamodbPort?: number;
  sqsPort?: number;
  stripePort?: number;
  projectName?: string;
  /** A real `sk_test_` key: use Stripe's test mode instead of the simulator. */
  stripeSecretKey?: string | undefined;
  /** With real Stripe: the signing secret `stripe listen` printed. */
  stripeWebhookSecret?: string | undefined;
  /** Serve the HTTP API (off for a one-off `npm run invoke`). */
  api?: boolean;
  /** Run the queue workers. */
  workers?: boolean;
  quiet?: boolean;
  log?: (line: string) => void;
}

export interface QueueDetails {
  name: string;
  url: string;
  arn: string;
  dlq: { name: string; url: string; arn: string };
}

export interface LocalStack {
  apiUrl: string;
  stripeUrl: string;
  region: string;
  projectName: string;
  environment: string;
  endpoints: { dynamodb: string; sqs: string; sns: string };
  tables: Record<string, { name: string; env: string }>;
  queues: Record<string, QueueDetails>;
  topics: Record<string, { name: string; arn: string }>;
  secretsFile: string;
  /** Where the notification worker writes each email it sends, as an .eml file. */
  outboxDir: string;
  /** The environment every function runs with (also applied to this process). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

type Stoppable = () => Promise<void>;

async function startDynamo(dataDir: string, host: string, port: number): Promise<{ endpoint: string; stop: Stoppable }> {
  // dynalite opens (and locks) its database when created, and a server that failed to listen cannot
  // release it: the port is checked first.
  if (port !== 0) {
    const probe = createServer();
    await listen(probe, port, host, 'DynamoDB (dynalite)', 'DYNAMODB_PORT');
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  }
  const server = dynalite({ path: join(dataDir, 'dynamodb'), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }) as Server;
  await listen(server, port, host, 'DynamoDB (dynalite)', 'DYNAMODB_PORT');
  const bound = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://${host}:${bound}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function startQueues(host: string, port: number): Promise<{ endpoint: string; stop: Stoppable }> {
  // fauxqs's own start-up listens on every interface; an emulator with no authentication stays on
  // the loopback address here. Queue URLs keep fauxqs's `sqs.<region>.localhost` form.
  const app = buildApp({ logger: false, host: 'localhost' });
  try {
    await app.listen({ port, host });
  } catch (error) {
    await app.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError('SQS and SNS (fauxqs)', port, 'SQS_PORT');
    throw error;
  }
  const bound = (app.server.address() as AddressInfo).port;
  return { endpoint: `http://${host}:${bound}`, stop: () => app.close() };
}

async function createResources(
  resources: ResourceDefinition,
  name: (n: string) => string,
  endpoints: LocalStack['endpoints'],
): Promise<Pick<LocalStack, 'tables' | 'queues' | 'topics'>> {
  const clientConfig = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const dynamo = new DynamoDBClient({ ...clientConfig, endpoint: endpoints.dynamodb });
  const sqs = new SQSClient({ ...clientConfig, endpoint: endpoints.sqs });
  const sns = new SNSClient({ ...clientConfig, endpoint: endpoints.sns });
  try {
    // TTL attributes are not configured: dynalite neither supports nor enforces TTL, and nothing
    // depends on items expiring within a development session.
    const tables: LocalStack['tables'] = {};
    await Promise.all(
      resources.tables.map(async (table) => {
        const tableName = name(table.name);
        await ensureTable(dynamo, table, tableName);
        tables[table.id] = { name: tableName, env: table.env };
      }),
    );

    const queueArn = async (url: string) =>
      (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn ?? '';
    const queues: LocalStack['queues'] = {};
    for (const queue of resources.queues) {
      const dlqName = name(queue.deadLetter.name);
      const dlqUrl = (
        await sqs.send(
          new CreateQueueCommand({ QueueName: dlqName, Attributes: { MessageRetentionPeriod: String(queue.deadLetter.messageRetentionSeconds) } }),
        )
      ).QueueUrl!;
      const dlqArn = await queueArn(dlqUrl);
      const queueName = name(queue.name);
      const url = (
        await sqs.send(
          new CreateQueueCommand({
            QueueName: queueName,
            Attributes: {
              VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
              MessageRetentionPeriod: String(queue.messageRetentionSeconds),
              RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: queue.deadLetter.maxReceiveCount }),
            },
          }),
        )
      ).QueueUrl!;
      queues[queue.id] = { name: queueName, url, arn: await queueArn(url), dlq: { name: dlqName, url: dlqUrl, arn: dlqArn } };
    }

    const topics: LocalStack['topics'] = {};
    for (const topic of resources.topics) {
      const topicName = name(topic.name);
      const arn = (await sns.send(new CreateTopicCommand({ Name: topicName }))).TopicArn!;
      for (const subscription of topic.subscriptions) {
        await sns.send(
          new SubscribeCommand({
            TopicArn: arn,
            Protocol: 'sqs',
            Endpoint: queues[subscription.queue]!.arn,
            Attributes: {
              RawMessageDelivery: String(subscription.rawMessageDelivery),
              ...(subscription.filterPolicy ? { FilterPolicy: JSON.stringify(subscription.filterPolicy) } : {}),
            },
          }),
        );
      }
      topics[topic.id] = { name: topicName, arn };
    }
    return { tables, queues, topics };
  } finally {
    dynamo.destroy();
    sqs.destroy();
    sns.destroy();
  }
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const host = options.host ?? '127.0.0.1';
  const log = options.quiet ? () => undefined : (options.log ?? ((line: string) => console.log(line)));
  const projectName = options.projectName ?? 'stripe-payments';
  const environment = 'local';
  const resources = loadResources();
  const name = (n: string) => physicalName(projectName, environment, n);
  if (options.fresh) rmSync(options.dataDir, { recursive: true, force: true });
  mkdirSync(options.dataDir, { recursive: true });

  const stops: Stoppable[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    stops.length = 0;
  };
  try {
    const secretPrefix = `${projectName}-${environment}`;
    const secrets = ensureLocalSecrets(options.dataDir, secretPrefix, {
      stripeSecretKey: options.stripeSecretKey,
      stripeWebhookSecret: options.stripeWebhookSecret,
    });
    const [dynamoStart, queuesStart] = await Promise.allSettled([
      startDynamo(options.dataDir, host, options.dynamodbPort ?? DEFAULT_PORTS.dynamodb),
      startQueues(host, options.sqsPort ?? DEFAULT_PORTS.sqs),
    ]);
    // Whatever did start is stopped with the rest if the other failed (dynalite holds a lock on its data).
    for (const result of [dynamoStart, queuesStart]) if (result.status === 'fulfilled') stops.push(result.value.stop);
    if (dynamoStart.status === 'rejected') throw dynamoStart.reason;
    if (queuesStart.status === 'rejected') throw queuesStart.reason;
    const [dynamo, queues] = [dynamoStart.value, queuesStart.value];
    const endpoints = { dynamodb: dynamo.endpoint, sqs: queues.endpoint, sns: queues.endpoint };
    const created = await createResources(resources, name, endpoints);

    const useSimulator = !options.stripeSecretKey;
    let stripeUrl = 'https://api.stripe.com';
    if (useSimulator) {
      const simulator = await startStripeSimulator({
        host,
        port: options.stripePort ?? DEFAULT_PORTS.stripe,
        dataDir: join(options.dataDir, 'stripe'),
        apiKey: secrets.stripeSecretKey,
      });
      stops.push(() => simulator.stop());
      stripeUrl = simulator.url;
    }

    const env: Record<string, string> = {
      PROJECT_NAME: projectName,
      ENVIRONMENT: environment,
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
      AWS_ENDPOINT_URL_SQS: endpoints.sqs,
      AWS_ENDPOINT_URL_SNS: endpoints.sns,
      SECRETS_SOURCE: 'file',
      SECRETS_FILE: secrets.path,
      ...(useSimulator ? { STRIPE_API_URL: stripeUrl } : {}),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'INFO',
      POWERTOOLS_SERVICE_NAME: 'stripe-service',
      POWERTOOLS_METRICS_NAMESPACE: 'StripeService',
      // The notification worker writes mail to .data/outbox/ instead of SES; /outbox lists it.
      MAILER: 'outbox',
      MAIL_OUTBOX_DIR: outboxDir(options.dataDir),
      MAIL_FROM: LOCAL_MAIL_FROM,
      BUSINESS_NAME: LOCAL_BUSINESS_NAME,
    };
    for (const table of resources.tables) env[table.env] = created.tables[table.id]!.name;
    for (const queue of resources.queues) env[queue.env] = created.queues[queue.id]!.url;
    for (const topic of resources.topics) env[topic.env] = created.topics[topic.id]!.arn;
    // Handlers read their configuration from the process environment at cold start, as in Lambda.
    if (!useSimulator) delete process.env.STRIPE_API_URL;
    Object.assign(process.env, env);

    const onError = (fnId: string) => (error: unknown) =>
      log(`[${fnId}] invocation failed: ${error instanceof Error ? error.message : String(error)}`);

    let apiUrl = '';
    if (options.api !== false) {
      const routes: Route[] = [];
      for (const fn of resources.functions.filter((f) => f.routes?.length)) {
        const handler = await loadHandler(fn);
        for (const routeKey of fn.routes ?? []) routes.push(compileRoute(routeKey, fn, handler));
      }
      const [docs, outbox] = [docsPages(), outboxPages(outboxDir(options.dataDir))];
      const api = await startHttpApi({
        routes,
        host,
        port: options.apiPort ?? DEFAULT_PORTS.api,
        portVariable: 'PORT',
        region: LOCAL_REGION,
        onError: (error, route) => onError(route.fn.id)(error),
        staticFiles: (pathname) => docs(pathname) ?? outbox(pathname),
      });
      stops.push(api.stop);
      apiUrl = api.url;
      // Registered only once a function serves the route, so the simulator does not retry into a 404.
      if (useSimulator && routes.some((r) => r.routeKey === WEBHOOK_ROUTE)) {
        const webhookSecret = await registerLocalWebhookEndpoint(stripeUrl, secrets.stripeSecretKey, `${apiUrl}/stripe/webhook`);
        ensureLocalSecrets(options.dataDir, secretPrefix, { stripeWebhookSecret: webhookSecret });
      }
    }

    if (options.workers !== false) {
      const client = new SQSClient({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: endpoints.sqs });
      const pollers: SqsPoller[] = [];
      for (const fn of resources.functions) {
        if (!fn.queue) continue;
        const queue = created.queues[fn.queue.id]!;
        const handler = await loadHandler(fn);
        pollers.push(
          startSqsPoller({
            client,
            queueUrl: queue.url,
            queueArn: queue.arn,
            region: LOCAL_REGION,
            batchSize: fn.queue.batchSize,
            ...(fn.queue.maximumBatchingWindowSeconds !== undefined ? { maximumBatchingWindowSeconds: fn.queue.maximumBatchingWindowSeconds } : {}),
            invoke: (event) => invoke(fn, handler, event, LOCAL_REGION),
            onError: onError(fn.id),
          }),
        );
      }
      stops.push(async () => {
        await Promise.all(pollers.map((p) => p.stop()));
        client.destroy();
      });
    }

    const stack: LocalStack = {
      apiUrl,
      stripeUrl,
      region: LOCAL_REGION,
      projectName,
      environment,
      endpoints,
      ...created,
      secretsFile: secrets.path,
      outboxDir: outboxDir(options.dataDir),
      env,
      stop: stopAll,
    };
    // Only a serving stack describes itself: a one-off invocation's emulators are gone a moment later.
    if (options.api !== false) {
      const described = join(options.dataDir, 'dev-stack.json');
      writeFileSync(described, `${JSON.stringify(describe(stack), null, 2)}\n`);
      // Stopped, the stack no longer describes itself: scripts must not mistake another server for it.
      stops.unshift(async () => rmSync(described, { force: true }));
    }
    return stack;
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** What `.data/dev-stack.json` holds: enough for scripts and the AWS CLI to reach this stack. */
export function describe(stack: LocalStack) {
  return {
    apiUrl: stack.apiUrl,
    region: stack.region,
    projectName: stack.projectName,
    environment: stack.environment,
    endpoints: stack.endpoints,
    stripe: { url: stack.stripeUrl },
    tables: stack.tables,
    queues: stack.queues,
    topics: stack.topics,
    secretsFile: stack.secretsFile,
    outboxDir: stack.outboxDir,
    env: stack.env,
  };
}
