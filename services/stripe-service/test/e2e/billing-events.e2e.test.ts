// What an entitlement service subscribed to the billing events topic receives, end to end on the
// local stack: Stripe (the simulator) delivers its webhooks, the ingress queues them, the events
// worker applies them and publishes. The listener is a queue of our own, subscribed with the AWS
// SDK and filtered on the userId attribute, so it sees exactly one user's events.
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { seedCatalog } from '../../../../scripts/lib/sample-catalog';
import { receiveBillingEvents, subscribeQueue, type ReceivedBillingEvent } from '../support/billing-topic';
import { expectPublishedEventsMatchSchemas } from '../support/billing-event-schemas';
import { startHostedCheckout, type HostedCheckout } from './hosted-checkout';
import { httpClient } from './http-client';
import { startTarget, type E2eTarget, type LocalDetails } from './target';

let target: E2eTarget;
let local: LocalDetails;
let sns: SNSClient;
let sqs: SQSClient;
const call = httpClient(() => target);

beforeAll(async () => {
  target = await startTarget();
  if (!target.local) throw new Error('these tests subscribe a queue to the local stack\'s billing events topic; they cannot run against a deployed stage');
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

/** A new user and a queue that receives only that user's billing events. */
async function listeningUser() {
  const sub = `e2e-billing-${randomUUID()}`;
  const token = await target.tokenFor({ sub, email: `${sub}@example.com` });
  const url = await subscribeQueue(sns, sqs, local.env.BILLING_EVENTS_TOPIC_ARN!, { filterPolicy: { userId: [sub] } });
  return { sub, token, url };
}

/** Waits for these types, then listens a few seconds more so that an extra or repeated event is seen too. */
async function receiveTypes(url: string, types: string[]): Promise<ReceivedBillingEvent[]> {
  return receiveBillingEvents(sqs, url, { until: (r) => types.every((t) => r.some((e) => e.event.type === t)), timeoutMs: 30_000, settleMs: 3_000 });
}

it('a payment created, confirmed and partly refunded through the API yields payment.successful and payment.refunded, once each', async () => {
  const { sub, token, url } = await listeningUser();
  const created = await call('POST', '/stripe/payment-intent', { token, body: { amount: 2500, currency: 'usd', metadata: { orderId: 'o-1' } } });
  expect(created.status).toBe(201);
  const paymentId = created.body?.paymentId as string;
  const intentId = created.body?.paymentIntentId as string;
  expect((await call('POST', `/stripe/payment-intent/${intentId}/confirm`, { token, body: { paymentMethod: 'pm_card_visa' } })).body).toMatchObject({ status: 'succeeded' });
  expect((await call('POST', `/stripe/payment-intent/${intentId}/refund`, { token, body: { amount: 500 } })).status).toBe(201);

  const received = await receiveTypes(url, ['payment.successful', 'payment.refunded']);
  expect(received.map((r) => r.event.type).sort()).toEqual(['payment.refunded', 'payment.successful']);
  for (const { event, attributes } of received) {
    expect(event).toMatchObject({ userId: sub, version: 1, livemode: false, data: { paymentId, paymentIntentId: intentId, amount: 2500, amountReceived: 2500, metadata: { orderId: 'o-1' } } });
    expect(event.id).toBe(`bevt_${event.source.stripeEventId}`);
    expect(attributes).toEqual({ type: event.type, userId: sub });
  }
  expect(received.find((r) => r.event.type === 'payment.refunded')?.event.data).toMatchObject({ amountRefunded: 500, status: 'partially_refunded', refund: { amount: 500 } });
  expectPublishedEventsMatchSchemas(received.map((r) => r.event));
}, 90_000);

it('a refund Stripe accepts and fails later (the simulator\'s refundFail card): the record shows it and exactly one payment.refund_failed is published', async () => {
  const { sub, token, url } = await listeningUser();

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

  const received = await receiveTypes(url, ['payment.successful', 'payment.refunded', 'payment.refund_failed']);
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

describe('a checkout paid on the simulator\'s hosted page (headless Chromium)', () => {
  let checkout: HostedCheckout | undefined;
  afterAll(async () => checkout?.close());

  it('yields checkout.completed and one payment.successful for its payment, the one that grants the purchase', async () => {
    checkout = await startHostedCheckout();
    const tag = randomUUID().slice(0, 8);
    const dynamo = new DynamoDBClient({ endpoint: local.dynamodbEndpoint, region: local.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      await seedCatalog(dynamo, { products: local.env.PRODUCTS_TABLE!, prices: local.env.PRICES_TABLE! }, {
        products: [{ productId: `prod-${tag}`, name: `Product ${tag}`, active: true }],
        prices: [{ priceId: `price-${tag}`, productId: `prod-${tag}`, unitAmount: 2500, currency: 'usd', type: 'one_time', active: true }],
      });
    } finally {
      dynamo.destroy();
    }
    const { sub, token, url } = await listeningUser();
    const answer = await call('POST', '/stripe/payment-intent', { token, body: { priceId: `price-${tag}`, successUrl: `${checkout.shopUrl}/success`, cancelUrl: `${checkout.shopUrl}/cancel` } });
    expect(answer.status).toBe(201);
    await checkout.payWithCard(await checkout.open(answer.body?.checkoutUrl as string));

    const received = await receiveTypes(url, ['checkout.completed', 'payment.successful']);
    expect(received.map((r) => r.event.type).sort()).toEqual(['checkout.completed', 'payment.successful']);
    const completed = received.find((r) => r.event.type === 'checkout.completed')!.event;
    const paid = received.find((r) => r.event.type === 'payment.successful')!.event;
    expect(completed).toMatchObject({ userId: sub, data: { checkoutSessionId: answer.body?.checkoutSessionId, mode: 'payment', paymentStatus: 'paid', amountTotal: 2500, priceId: `price-${tag}` } });
    expect(paid).toMatchObject({ userId: sub, data: { status: 'succeeded', amount: 2500, paymentId: expect.stringMatching(/^pay_/), metadata: { localPriceId: `price-${tag}` } } });
    expect(completed.data).toMatchObject({ paymentIntentId: (paid.data as { paymentIntentId: string }).paymentIntentId });
    expectPublishedEventsMatchSchemas(received.map((r) => r.event));
  }, 120_000);
});
