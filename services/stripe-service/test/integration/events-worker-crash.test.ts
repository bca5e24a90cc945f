// Drill: the events worker's process is SIGKILLed in the middle of its work (batches in flight,
// some records written and not yet published or marked). After a restart every event is processed,
// none is applied twice, and every payment ends as its events say.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
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

async function processedInTable(): Promise<number> {
  const result = await drill.dynamo.send(
    new ScanCommand({ TableName: drill.stack.env.WEBHOOK_IDEMPOTENCY_TABLE!, Select: 'COUNT', FilterExpression: '#s = :p', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':p': { S: 'processed' } } }),
  );
  return result.Count ?? 0;
}

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
  const atKill = await processedInTable();
  expect(first.signalCode).toBe('SIGKILL');
  // Killed with work left: otherwise this drill proves nothing.
  expect(atKill).toBeLessThan(messages.length);

  await startWorker();
  await waitFor('every event processed after the restart', async () => (await processedInTable()) === messages.length, 90_000);

  for (const p of payments) {
    const stored = await drill.payments.get(userId, p.paymentId);
    expect(stored).toMatchObject({ status: 'partially_refunded', intentStatus: 'succeeded', amountReceived: 2000, amountRefunded: 700, lastStripeEventId: `evt_re_${p.paymentId}` });
    // Created, then at most one write per event: an event applied twice would show as a further write.
    expect(stored!.version).toBeLessThanOrEqual(3);
  }
  const expectedIds = new Set(messages.map((m) => `bevt_${m.eventId}`));
  const refundIds = payments.map((p) => `bevt_evt_re_${p.paymentId}`);
  const received = await receiveBillingEvents(drill.sqs, drill.listenerUrl, {
    until: (r) => refundIds.every((id) => r.some((e) => e.event.id === id)),
    timeoutMs: 30_000,
  });
  expect(received.filter((r) => !expectedIds.has(r.event.id))).toEqual([]);
  expect(refundIds.filter((id) => !received.some((r) => r.event.id === id))).toEqual([]);
  const dlq = await drill.sqs.send(new GetQueueAttributesCommand({ QueueUrl: drill.stack.queues.stripe_events!.dlq.url, AttributeNames: ['ApproximateNumberOfMessages'] }));
  expect(dlq.Attributes?.ApproximateNumberOfMessages).toBe('0');
}, 180_000);
