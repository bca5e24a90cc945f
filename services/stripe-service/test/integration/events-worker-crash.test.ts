// Drill: the events worker's process is SIGKILLed in the middle of its work (batches in flight,
// some records written and not yet published or marked). After a restart every event is processed,
// none is applied twice, and every payment ends as its events say.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { repoRoot } from '../../../../scripts/lib/resources';
import { stopChild } from '../../../../scripts/testing/emulators';
import { receiveBillingEvents } from '../support/billing-topic';
import { startWorkerStack, waitFor, type WorkerStack } from '../support/events-worker-stack';
import { chargeRefundedEvent, intentObject, stripeEvent } from '../support/stripe-event-payloads';
import type { Payment } from '../../src/domain/payment';

const PAYMENTS = 100;
const T = 1_767_225_700;
let drill: WorkerStack;
const children: ChildProcess[] = [];

beforeAll(async () => {
  drill = await startWorkerStack({ visibilityTimeoutSeconds: 2 });
}, 60_000);
afterAll(async () => {
  await Promise.all(children.map((c) => stopChild(c)));
  await drill?.stop();
});

async function startWorker(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'services', 'stripe-service', 'test', 'support', 'events-worker-process.ts')], {
    env: { ...process.env, ...drill.stack.env, EVENTS_QUEUE_ARN: drill.stack.queues.stripe_events!.arn, POWERTOOLS_LOG_LEVEL: 'ERROR', LOG_LEVEL: 'ERROR', NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child.once('exit', (code, signal) => reject(new Error(`the worker exited before it was ready (${code ?? signal}): ${stderr}`)));
  });
  return child;
}

async function processedIds(): Promise<Set<string>> {
  const ids = new Set<string>();
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await drill.dynamo.send(
      new ScanCommand({
        TableName: drill.stack.env.WEBHOOK_IDEMPOTENCY_TABLE!,
        ProjectionExpression: 'eventId',
        FilterExpression: '#s = :p',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':p': { S: 'processed' } },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) if (item.eventId?.S) ids.add(item.eventId.S);
    start = page.LastEvaluatedKey;
  } while (start);
  return ids;
}

const processedInTable = async () => (await processedIds()).size;

it('processes every event once after the worker is SIGKILLed mid-batch and restarted', async () => {
  const userId = 'user-crash';
  await drill.seedCustomer(userId, 'cus_crash');
  const payments: Payment[] = [];
  for (let i = 0; i < PAYMENTS; i += 1) payments.push(await drill.seedPayment(userId, 'cus_crash', { stripeUpdatedAt: T - 100 }));
  const messages = payments.flatMap((p) => {
    const metadata = { userId, paymentId: p.paymentId };
    return [
      stripeEvent('payment_intent.succeeded', intentObject({ id: p.stripePaymentIntentId, status: 'succeeded', customer: 'cus_crash', metadata }), { id: `evt_ok_${p.paymentId}`, created: T }),
      chargeRefundedEvent({ intentId: p.stripePaymentIntentId, refunded: 700, before: 0, customer: 'cus_crash' }, { id: `evt_re_${p.paymentId}`, created: T + 5 }),
    ];
  });
  await drill.enqueue(messages);

  const first = await startWorker();
  await waitFor('the first worker to process some events', async () => (await processedInTable()) >= 20);
  first.kill('SIGKILL');
  await new Promise((resolve) => first.once('exit', resolve));
  const markedAtKill = await processedIds();
  expect(first.signalCode).toBe('SIGKILL');
  // Killed with work left: otherwise this drill proves nothing.
  expect(markedAtKill.size).toBeLessThan(messages.length);

  await startWorker();
  await waitFor('every event processed after the restart', async () => (await processedInTable()) === messages.length, 90_000);

  for (const p of payments) {
    const stored = await drill.payments.get(userId, p.paymentId);
    expect(stored).toMatchObject({ status: 'partially_refunded', intentStatus: 'succeeded', amountReceived: 2000, amountRefunded: 700, lastStripeEventId: `evt_re_${p.paymentId}` });
    // Created, then one write per event, or none for the success when the refund (which carries
    // it) came first. A redelivery re-applies as a no-op by design, so it is the billing events
    // below that show what ran twice.
    expect([2, 3]).toContain(stored!.version);
  }
  const expectedIds = messages.map((m) => `bevt_${m.eventId}`);
  const received = await receiveBillingEvents(drill.sqs, drill.listenerUrl, {
    until: (r) => expectedIds.every((id) => r.some((e) => e.event.id === id)),
    timeoutMs: 30_000,
    settleMs: 1_000,
  });
  const copies = new Map<string, number>();
  for (const r of received) copies.set(r.event.id, (copies.get(r.event.id) ?? 0) + 1);
  // Every event's billing event, and nothing else.
  expect([...copies.keys()].sort()).toEqual([...expectedIds].sort());
  // Repeats of an id are allowed: the kill (or a visibility timeout) between publish and mark.
  const dlq = await drill.sqs.send(new GetQueueAttributesCommand({ QueueUrl: drill.stack.queues.stripe_events!.dlq.url, AttributeNames: ['ApproximateNumberOfMessages'] }));
  expect(dlq.Attributes?.ApproximateNumberOfMessages).toBe('0');
}, 180_000);
