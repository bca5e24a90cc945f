// `npm run redrive -- <queue> [--apply]`: puts a queue's dead letters back in the queue they
// failed in, once the cause is fixed. A dry run unless --apply: it prints what waits where and how
// it would move. See docs/operations.md.
import { SQSClient } from '@aws-sdk/client-sqs';
import { SqsCopyRedriver } from '../services/stripe-service/src/adapters/sqs/sqs-copy-redriver';
import { SqsMoveTaskRedriver } from '../services/stripe-service/src/adapters/sqs/sqs-move-task-redriver';
import { SqsQueueDepthReader } from '../services/stripe-service/src/adapters/sqs/sqs-queue-depth-reader';
import { locateRedrivePair } from '../services/stripe-service/src/adapters/sqs/sqs-redrive-pair';
import { SystemClock } from '../services/stripe-service/src/adapters/system/system-clock';
import { RedriveDeadLetters, type RedriveReport } from '../services/stripe-service/src/application/operations/redrive-dead-letters';
import type { RedriveMethod } from '../services/stripe-service/src/application/ports/dead-letter-redriver';
import type { QueueDepth } from '../services/stripe-service/src/application/ports/queue-depth-reader';
import { fail, finish, parseCommandLine } from './ops/cli';
import { queueIdFor, resolveTarget } from './ops/target';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE = `Usage: npm run redrive -- <queue> [--apply] [--method auto|move_task|receive_send_delete] [--max <n>] [--target local|aws]

Moves the messages of <queue>'s dead-letter queue back to <queue>. Without --apply nothing moves:
it prints how many messages wait in each queue and how they would be moved.

  <queue>     stripe_events (or events) | notifications (resources.json ids)
  --apply     move them
  --method    auto (default): SQS's own move task where the endpoint has it (AWS, ElasticMQ),
              otherwise receive → send → delete from here (fauxqs, moto)
  --max <n>   move at most n messages (receive → send → delete only)
  --target    local: the running \`npm run dev\` stack (default unless ENVIRONMENT is set);
              aws: '{PROJECT_NAME}-{ENVIRONMENT}-<name>' in AWS_REGION, with the usual AWS credentials`;

const METHODS = ['auto', 'move_task', 'receive_send_delete'] as const;

const { values, positionals } = parseCommandLine(
  USAGE,
  {
    apply: { type: 'boolean', default: false },
    method: { type: 'string', default: 'auto' },
    max: { type: 'string' },
    target: { type: 'string' },
  },
  true,
);
const [queueArg, ...extra] = positionals;
if (!queueArg || extra.length > 0) fail(USAGE, 2);
const method = values.method as (typeof METHODS)[number];
if (!METHODS.includes(method)) fail(`--method is one of ${METHODS.join(', ')}\n\n${USAGE}`, 2);
const maxMessages = values.max === undefined ? undefined : Number(values.max);
if (maxMessages !== undefined && !(Number.isInteger(maxMessages) && maxMessages > 0)) fail('--max is a positive whole number', 2);

const depthLine = (label: string, name: string, depth: QueueDepth) =>
  `  ${label.padEnd(18)}${name}: ${depth.visible} waiting, ${depth.inFlight} in flight${depth.delayed ? `, ${depth.delayed} delayed` : ''}\n`;
const nameOf = (url: string) => url.split('/').at(-1) ?? url;

function print(report: RedriveReport): void {
  const out = process.stdout;
  const state = (when: 'before' | 'after') => {
    const depths = report[when]!;
    out.write(depthLine('dead-letter queue', nameOf(report.pair.deadLetter.url), depths.deadLetter));
    out.write(depthLine('source queue', nameOf(report.pair.source.url), depths.source));
  };
  state('before');
  if (!report.applied) {
    const n = report.before.deadLetter.visible;
    out.write(`dry run: would move ${maxMessages === undefined ? n : Math.min(n, maxMessages)} message(s) with ${report.method}; run again with --apply to move them\n`);
    return;
  }
  const outcome = report.outcome!;
  out.write(`${outcome.status}: moved ${outcome.moved}, failed ${outcome.failed} (${outcome.method})${outcome.failureReason ? `: ${outcome.failureReason}` : ''}\nafter:\n`);
  state('after');
}

async function main(): Promise<number> {
  const target = resolveTarget(values.target);
  const id = queueIdFor(queueArg!);
  const client = new SQSClient({
    region: target.region,
    ...(target.aws.endpoints ? { endpoint: target.aws.endpoints.sqs } : {}),
    ...(target.aws.credentials ? { credentials: target.aws.credentials } : {}),
  });
  try {
    const pair = await locateRedrivePair(client, id, target.queueName(id));
    process.stdout.write(`${id} on ${target.label}${values.apply ? '' : ' (dry run)'}:\n`);
    const redrive = new RedriveDeadLetters([new SqsMoveTaskRedriver(client, new SystemClock()), new SqsCopyRedriver(client)], new SqsQueueDepthReader(client));
    let last = -1;
    const report = await redrive.execute({
      pair,
      apply: values.apply,
      method: method as RedriveMethod | 'auto',
      ...(maxMessages === undefined ? {} : { maxMessages }),
      onProgress: (p) => {
        if (p.moved === last) return;
        last = p.moved;
        process.stderr.write(`  … moved ${p.moved}${p.failed ? `, failed ${p.failed}` : ''}\n`);
      },
    });
    print(report);
    return report.outcome?.status === 'failed' || report.outcome?.status === 'cancelled' ? 1 : 0;
  } finally {
    client.destroy();
  }
}

finish('redrive', main());
