// `npm run replay -- --since <time> [--type <event type>]…`: feeds the events worker every Stripe
// event since a time that it never processed, from Stripe's event log, through the same path as
// the webhook (after an outage longer than Stripe's retries, or for a new environment). See
// docs/operations.md.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoStripeEventStore } from '../services/stripe-service/src/adapters/dynamodb/dynamo-stripe-event-store';
import { FileReplayCheckpointStore } from '../services/stripe-service/src/adapters/filesystem/file-replay-checkpoint-store';
import { SqsStripeEventQueue } from '../services/stripe-service/src/adapters/sqs/sqs-stripe-event-queue';
import { StripeCaller } from '../services/stripe-service/src/adapters/stripe/stripe-call';
import { createStripeClient } from '../services/stripe-service/src/adapters/stripe/stripe-client';
import { StripeEventGateway } from '../services/stripe-service/src/adapters/stripe/stripe-event-gateway';
import { SystemClock } from '../services/stripe-service/src/adapters/system/system-clock';
import type { ReplayCounts } from '../services/stripe-service/src/application/ports/replay-checkpoint-store';
import { EnqueueStripeEvent } from '../services/stripe-service/src/application/webhooks/enqueue-stripe-event';
import { ReplayStripeEvents } from '../services/stripe-service/src/application/webhooks/replay-stripe-events';
import { fail, finish, parseCommandLine } from './ops/cli';
import { resolveTarget, secretId, TargetError } from './ops/target';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE = `Usage: npm run replay -- --since <time> [--type <event type>]… [--dry-run] [--resume] [--rate <req/s>] [--include-enqueued] [--target local|aws]

Lists Stripe's events created after <time> (newest first, every page) and feeds each one the
service never processed to the events worker, the way a webhook delivery would.

  --since <time>       ISO-8601 (2026-12-01T08:00:00Z), epoch seconds, or an age: 90m, 6h, 3d
                       (Stripe keeps events for 30 days)
  --type <type>        only this event type; repeat for several (up to 20, as Stripe allows)
  --dry-run            count what would be fed, feed nothing
  --resume             continue an interrupted replay from its checkpoint (same --since and --type)
  --rate <n>           requests per second to Stripe (default 25, test mode's read limit)
  --include-enqueued   also feed events an older deploy marked enqueued and never processed (by
                       default counted as pending: look in the events dead-letter queue, npm run
                       redrive); a record left received past its lease is fed without it
  --checkpoint <path>  default .data/replay-<project>-<environment>.json
  --target             local: the running \`npm run dev\` stack (default unless ENVIRONMENT is set);
                       aws: '{PROJECT_NAME}-{ENVIRONMENT}-<name>' in AWS_REGION, with the usual AWS
                       credentials, the Stripe key from Secrets Manager`;

const { values } = parseCommandLine(USAGE, {
  since: { type: 'string' },
  type: { type: 'string', multiple: true },
  'dry-run': { type: 'boolean', default: false },
  resume: { type: 'boolean', default: false },
  rate: { type: 'string', default: '25' },
  'include-enqueued': { type: 'boolean', default: false },
  'page-size': { type: 'string', default: '100' },
  checkpoint: { type: 'string' },
  target: { type: 'string' },
});

/** Epoch seconds from an ISO time, epoch seconds or an age such as 6h. */
function parseSince(text: string, nowMs: number): number | undefined {
  const age = /^(\d+)([smhd])$/.exec(text);
  if (age) return Math.floor(nowMs / 1000) - Number(age[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[age[2] as 's' | 'm' | 'h' | 'd'];
  if (/^\d{9,11}$/.test(text)) return Number(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

if (!values.since) fail(`--since is required\n\n${USAGE}`, 2);
const since = parseSince(values.since, Date.now());
if (since === undefined) fail(`--since ${values.since} is not a time: give ISO-8601, epoch seconds or an age such as 6h\n\n${USAGE}`, 2);
const rate = Number(values.rate);
if (!(Number.isFinite(rate) && rate > 0 && rate <= 100)) fail('--rate is a number of requests per second, above 0 and at most 100 (Stripe\'s live limit)', 2);
const pageSize = Number(values['page-size']);
if (!(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= 100)) fail('--page-size is 1 to 100', 2);
const types = values.type ?? [];
if (types.length > 20) fail('Stripe filters on at most 20 event types at once', 2);

const line = (c: ReplayCounts, dryRun: boolean) =>
  `${c.seen} seen, ${dryRun ? `${c.wouldEnqueue} would be fed` : `${c.enqueued} fed`}, ${c.processed} already processed, ${c.pending} pending (enqueued, not processed)${c.concurrent ? `, ${c.concurrent} in flight (recorded moments ago)` : ''}`;

async function main(): Promise<void> {
  const target = resolveTarget(values.target);
  const clientConfig = { region: target.region, ...(target.aws.credentials ? { credentials: target.aws.credentials } : {}) };
  const dynamo = new DynamoDBClient({ ...clientConfig, ...(target.aws.endpoints ? { endpoint: target.aws.endpoints.dynamodb } : {}) });
  const sqs = new SQSClient({ ...clientConfig, ...(target.aws.endpoints ? { endpoint: target.aws.endpoints.sqs } : {}) });
  try {
    const { QueueUrl: queueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: target.queueName('stripe_events') }));
    if (!queueUrl) throw new TargetError(`no events queue ${target.queueName('stripe_events')}`);
    const keyId = secretId(target, 'stripe_secret_key');
    const caller = new StripeCaller(
      // The replay backs off on 429s and outages itself, at its own pace.
      (apiKey) => createStripeClient({ apiKey, apiUrl: target.stripeApiUrl, maxNetworkRetries: 0, timeoutMs: 20_000 }),
      () => target.secrets.getSecret(keyId),
    );
    const clock = new SystemClock();
    const store = new DynamoStripeEventStore(dynamo, target.tableName('webhook_idempotency'));
    const queue = new SqsStripeEventQueue(sqs, queueUrl);
    const checkpointPath = values.checkpoint ?? join(target.dataDir, `replay-${target.projectName}-${target.environment}.json`);
    // No wait for an event in flight: the replay feeds it neither way, and its holder, or Stripe's
    // redelivery, or the next replay past the lease, gets it to the worker.
    const replay = new ReplayStripeEvents(new StripeEventGateway(caller), store, queue, new EnqueueStripeEvent(store, queue, clock, { inProgressWaitMs: 0 }), new FileReplayCheckpointStore(checkpointPath), clock, {
      ratePerSecond: rate,
      pageSize,
    });
    const dryRun = values['dry-run'];
    if (!values.resume && !dryRun && existsSync(checkpointPath)) process.stderr.write(`note: starting over; ${checkpointPath} holds an unfinished replay (--resume continues it)\n`);
    if (Math.floor(Date.now() / 1000) - since! > 30 * 86400) process.stderr.write('note: Stripe keeps events for 30 days; older ones cannot be replayed\n');
    process.stdout.write(
      `replaying ${types.length ? types.join(', ') : 'every event type'} since ${new Date(since! * 1000).toISOString()} on ${target.label}${dryRun ? ' (dry run)' : ''}, at most ${rate} requests/s\n`,
    );
    try {
      const result = await replay.execute({
        since: since!,
        types,
        dryRun,
        resume: values.resume,
        includeEnqueued: values['include-enqueued'],
        onProgress: (counts) => process.stderr.write(`  page ${counts.pages}: ${line(counts, dryRun)}\n`),
      });
      process.stdout.write(`${result.resumed ? 'resumed and ' : ''}done: ${line(result.counts, dryRun)}\n`);
    } catch (error) {
      if (!dryRun) process.stderr.write(`stopped; the checkpoint (${checkpointPath}) lets you continue with the same options and --resume\n`);
      throw error;
    }
  } finally {
    dynamo.destroy();
    sqs.destroy();
  }
}

finish('replay', main().then(() => 0));
