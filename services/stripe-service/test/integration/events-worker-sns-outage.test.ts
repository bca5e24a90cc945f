// Drill: the billing events topic fails for a while. Each event's record is written, its publish
// fails, the message goes back to the queue and comes again; once the topic is back every billing
// event is published, once, and nothing reaches the dead-letter queue.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { invoke, loadHandler } from '../../../../scripts/dev-stack/lambda-runtime';
import { startSqsPoller, type SqsPoller } from '../../../../scripts/dev-stack/sqs-poller';
import { loadResources } from '../../../../scripts/lib/resources';
import { receiveBillingEvents } from '../support/billing-topic';
import { startWorkerStack, waitFor, type WorkerStack } from '../support/events-worker-stack';
import { intentObject, stripeEvent } from '../support/stripe-event-payloads';

/** An HTTP proxy to SNS that can be made to fail; it counts the publishes it refused, by billing event id. */
function switchableProxy(target: string) {
  const refused = new Map<string, number>();
  const state = { up: false };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (!state.up) {
        for (const id of new Set(decodeURIComponent(body.toString()).match(/bevt_[A-Za-z0-9_]+/g) ?? [])) refused.set(id, (refused.get(id) ?? 0) + 1);
        res.writeHead(500, { 'content-type': 'text/xml' }).end('<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>down</Message></Error></ErrorResponse>');
        return;
      }
      const url = new URL(req.url ?? '/', target);
      const forward = request(url, { method: req.method, headers: { ...req.headers, host: url.host } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', () => res.writeHead(502).end());
      forward.end(body);
    });
  });
  return {
    state,
    refused,
    listen: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let drill: WorkerStack;
let poller: SqsPoller | undefined;
let pollClient: SQSClient | undefined;
const proxy = { current: undefined as ReturnType<typeof switchableProxy> | undefined };

beforeAll(async () => {
  drill = await startWorkerStack({ visibilityTimeoutSeconds: 1 });
  proxy.current = switchableProxy(drill.stack.endpoints.sns);
  // The worker composes on its first batch and reads its endpoints then, as at a Lambda cold start.
  process.env.AWS_ENDPOINT_URL_SNS = await proxy.current.listen();
}, 60_000);
afterAll(async () => {
  await poller?.stop();
  pollClient?.destroy();
  await proxy.current?.close();
  await drill?.stop();
});

it('returns events to the queue while SNS fails and publishes each once when it is back', async () => {
  const sns = proxy.current!;
  const userId = 'user-outage';
  await drill.seedCustomer(userId, 'cus_outage');
  const payments = await Promise.all(Array.from({ length: 5 }, () => drill.seedPayment(userId, 'cus_outage', { stripeUpdatedAt: 1_767_225_600 })));
  const messages = payments.map((p) =>
    stripeEvent('payment_intent.succeeded', intentObject({ id: p.stripePaymentIntentId, status: 'succeeded', customer: 'cus_outage', metadata: { userId, paymentId: p.paymentId } }), { created: 1_767_225_700 }),
  );
  await drill.enqueue(messages);

  const fn = loadResources().functions.find((f) => f.id === 'events-worker')!;
  const handler = await loadHandler(fn);
  const queue = drill.stack.queues.stripe_events!;
  pollClient = new SQSClient({ region: drill.stack.region, endpoint: drill.stack.endpoints.sqs, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  poller = startSqsPoller({ client: pollClient, queueUrl: queue.url, queueArn: queue.arn, region: drill.stack.region, batchSize: 10, invoke: (event) => invoke(fn, handler, event, drill.stack.region), onError: () => undefined });

  const ids = messages.map((m) => `bevt_${m.eventId}`);
  // The SDK tries three times per delivery: four refusals mean a second delivery of the message.
  await waitFor('every event delivered again while SNS is down', async () => ids.every((id) => (sns.refused.get(id) ?? 0) >= 4));
  expect(await drill.processedCount(messages.map((m) => m.eventId))).toBe(0);
  for (const p of payments) expect(await drill.payments.get(userId, p.paymentId)).toMatchObject({ status: 'succeeded' });

  sns.state.up = true;
  await waitFor('every event processed once SNS is back', async () => (await drill.processedCount(messages.map((m) => m.eventId))) === messages.length);
  const received = await receiveBillingEvents(drill.sqs, drill.listenerUrl, { until: (r) => r.length >= ids.length, settleMs: 2_000 });
  expect(received.map((r) => r.event.id).sort()).toEqual([...ids].sort());
  expect(received.every((r) => r.event.type === 'payment.successful')).toBe(true);
  const dlq = await drill.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.dlq.url, AttributeNames: ['ApproximateNumberOfMessages'] }));
  expect(dlq.Attributes?.ApproximateNumberOfMessages).toBe('0');
}, 90_000);
