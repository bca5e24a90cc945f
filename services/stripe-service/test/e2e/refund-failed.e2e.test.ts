// A refund Stripe accepts and fails later, end to end on the local stack: the simulator's
// refundFail card fails the refund a moment after the API made it, its webhooks reach the events
// worker, and an entitlement service subscribed to the billing events topic learns of it once.
import { randomUUID } from 'node:crypto';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { receiveBillingEvents, subscribeQueue } from '../support/billing-topic';
import { expectPublishedEventsMatchSchemas } from '../support/billing-event-schemas';
import { httpClient } from './http-client';
import { startTarget, type E2eTarget, type LocalDetails } from './target';

let target: E2eTarget;
let local: LocalDetails;
let sns: SNSClient;
let sqs: SQSClient;
const call = httpClient(() => target);

beforeAll(async () => {
  target = await startTarget();
  if (!target.local) throw new Error('this test subscribes a queue to the local stack\'s billing events topic; it cannot run against a deployed stage');
  local = target.local;
  const config = { region: local.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  sns = new SNSClient({ ...config, endpoint: local.env.AWS_ENDPOINT_URL_SNS });
  sqs = new SQSClient({ ...config, endpoint: local.env.AWS_ENDPOINT_URL_SQS });
}, 60_000);
afterAll(async () => {
  sns?.destroy();
  sqs?.destroy();
  await target?.stop();
});

it('pay, refund, the refund fails: the record shows it and exactly one payment.refund_failed is published', async () => {
  const sub = `e2e-refund-failed-${randomUUID()}`;
  const token = await target.tokenFor({ sub, email: `${sub}@example.com` });
  const url = await subscribeQueue(sns, sqs, local.env.BILLING_EVENTS_TOPIC_ARN!, { filterPolicy: { userId: [sub] } });

  const created = await call('POST', '/stripe/payment-intent', { token, body: { amount: 3000, currency: 'usd' } });
  expect(created.status).toBe(201);
  const paymentId = created.body?.paymentId as string;
  const intentId = created.body?.paymentIntentId as string;
  expect((await call('POST', `/stripe/payment-intent/${intentId}/confirm`, { token, body: { paymentMethod: 'pm_card_refundFail' } })).body).toMatchObject({ status: 'succeeded' });
  const refunded = await call('POST', `/stripe/payment-intent/${intentId}/refund`, { token, body: { amount: 1000 } });
  expect(refunded.status).toBe(201);
  // Accepted first, as Stripe answers it.
  expect(refunded.body).toMatchObject({ refund: { amount: 1000, status: 'succeeded' }, payment: { status: 'partially_refunded', amountRefunded: 1000 } });
  const refundId = (refunded.body?.refund as { id: string }).id;

  const received = await receiveBillingEvents(sqs, url, { until: (r) => r.some((e) => e.event.type === 'payment.refund_failed'), timeoutMs: 30_000, settleMs: 3_000 });
  const failures = received.filter((r) => r.event.type === 'payment.refund_failed');
  expect(failures).toHaveLength(1);
  expect(failures[0]!.attributes).toEqual({ type: 'payment.refund_failed', userId: sub });
  expect(failures[0]!.event).toMatchObject({
    userId: sub,
    source: { stripeEventType: 'refund.failed' },
    data: { paymentId, paymentIntentId: intentId, status: 'succeeded', amountReceived: 3000, amountRefunded: 0, refund: { refundId, amount: 1000, failureReason: 'expired_or_canceled_card' } },
  });
  expect(received.map((r) => r.event.type).sort()).toEqual(['payment.refund_failed', 'payment.refunded', 'payment.successful']);
  expectPublishedEventsMatchSchemas(received.map((r) => r.event));

  const read = await call('GET', `/stripe/payment-intent/${paymentId}`, { token });
  expect(read.body).toMatchObject({ status: 'succeeded', amountRefunded: 0, refunds: [{ id: refundId, amount: 1000, status: 'failed', failureReason: 'expired_or_canceled_card' }] });
}, 120_000);
