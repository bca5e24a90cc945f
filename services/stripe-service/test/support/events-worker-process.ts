// The events worker in a process of its own, as Lambda's event source mapping runs it: the local
// SQS poller feeding the function's handler batches from the events queue. Configured entirely by
// its environment (the local stack's, plus EVENTS_QUEUE_ARN); prints "ready" once polling.
import { SQSClient } from '@aws-sdk/client-sqs';
import { invoke, loadHandler } from '../../../../scripts/dev-stack/lambda-runtime';
import { startSqsPoller } from '../../../../scripts/dev-stack/sqs-poller';
import { loadResources } from '../../../../scripts/lib/resources';

const fn = loadResources().functions.find((f) => f.id === 'events-worker');
if (!fn?.queue) throw new Error('resources.json has no events-worker function with a queue');
const region = process.env.AWS_REGION ?? 'us-east-1';
const handler = await loadHandler(fn);
const client = new SQSClient({ region, endpoint: process.env.AWS_ENDPOINT_URL_SQS });
startSqsPoller({
  client,
  queueUrl: process.env.STRIPE_EVENTS_QUEUE_URL!,
  queueArn: process.env.EVENTS_QUEUE_ARN!,
  region,
  batchSize: fn.queue.batchSize,
  invoke: (event) => invoke(fn, handler, event, region),
  onError: (error) => console.error(`worker: ${error instanceof Error ? error.message : String(error)}`),
});
console.log('ready');
