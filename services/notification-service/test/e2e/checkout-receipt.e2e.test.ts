// The whole path on the local stack: a customer pays on the Stripe simulator's hosted checkout
// page; Stripe's webhooks go through the ingress, the events queue and the events worker, whose
// billing events reach the notification worker through the topic's filtered subscription.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { chromium, type Browser } from 'playwright-core';
import Stripe from 'stripe';
import { seedCatalog } from '../../../../scripts/lib/sample-catalog';
import { CHROMIUM_ARGS, ensureChromium } from '../../../../scripts/stripe-simulator/test/chromium';
import { startTarget, type E2eTarget, type LocalDetails } from '../../../stripe-service/test/e2e/target';
import { readOutbox, until } from '../support/outbox';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
let target: E2eTarget;
let local: LocalDetails;
let dynamo: DynamoDBClient;
let sqs: SQSClient;
let stripe: Stripe;
let browser: Browser | undefined;
/** The shop the checkout returns to. */
let shop: http.Server;
let shopUrl: string;

beforeAll(async () => {
  target = await startTarget();
  if (!target.local) throw new Error('this test reads the local stack\'s outbox; it cannot run against a deployed stage');
  local = target.local;
  dynamo = new DynamoDBClient({ endpoint: local.dynamodbEndpoint, region: local.region, credentials });
  sqs = new SQSClient({ endpoint: local.env.AWS_ENDPOINT_URL_SQS, region: local.region, credentials });
  stripe = new Stripe(local.stripeSecretKey, { host: new URL(local.stripeUrl).hostname, port: new URL(local.stripeUrl).port, protocol: 'http' });
  shop = http.createServer((_, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', connection: 'close' });
    res.end('<!doctype html><h1>thanks</h1>');
  });
  await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
  shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  shop?.closeAllConnections();
  await new Promise<void>((resolve) => (shop ? shop.close(() => resolve()) : resolve()));
  dynamo?.destroy();
  sqs?.destroy();
  await target?.stop();
});

async function queueEmpty(url: string): Promise<boolean> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return Number(Attributes?.ApproximateNumberOfMessages ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0) === 0;
}

async function processed(eventId: string): Promise<boolean> {
  const { Item } = await dynamo.send(new GetItemCommand({ TableName: local.env.WEBHOOK_IDEMPOTENCY_TABLE, Key: { eventId: { S: eventId } }, ConsistentRead: true }));
  return Item?.status?.S === 'processed';
}

describe('paying on the hosted checkout page', () => {
  it('puts exactly one receipt in the outbox, to the customer, for the amount paid', async () => {
    const tag = randomUUID().slice(0, 8);
    await seedCatalog(dynamo, { products: local.env.PRODUCTS_TABLE!, prices: local.env.PRICES_TABLE! }, {
      products: [{ productId: `prod-${tag}`, name: `Lamp ${tag}`, active: true }],
      prices: [{ priceId: `price-${tag}`, productId: `prod-${tag}`, unitAmount: 3100, currency: 'usd', type: 'one_time', active: true }],
    });
    const sub = `buyer-${tag}`;
    const email = `${sub}@example.org`;
    const token = await target.tokenFor({ sub, email });
    const opened = await fetch(`${target.baseUrl}/stripe/payment-intent`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({ priceId: `price-${tag}`, successUrl: `${shopUrl}/ok`, cancelUrl: `${shopUrl}/no` }),
    });
    expect(opened.status).toBe(201);
    const { checkoutUrl, checkoutSessionId } = (await opened.json()) as { checkoutUrl: string; checkoutSessionId: string };
    const startedAt = Math.floor(Date.now() / 1000) - 1;

    browser = await chromium.launch({ executablePath: await ensureChromium(), headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
    const page = await browser.newPage();
    await page.goto(checkoutUrl);
    await page.fill('#cardNumber', '4242 4242 4242 4242');
    await page.fill('#cardExpiry', '12 / 34');
    await page.fill('#cardCvc', '123');
    await page.fill('#billingName', 'Buy Er');
    await Promise.all([page.waitForURL(`${shopUrl}/ok`), page.click('#submit')]);
    expect((await stripe.checkout.sessions.retrieve(checkoutSessionId)).payment_status).toBe('paid');

    const toBuyer = () => readOutbox(local.env.MAIL_OUTBOX_DIR!).filter((mail) => mail.headers.to === email);
    const [receipt] = await until('a receipt for the buyer', () => toBuyer().length > 0 && toBuyer(), 30_000);
    expect(receipt?.headers['x-template']).toBe('receipt');
    expect(receipt?.headers.subject).toContain('$31.00');

    // Then everything Stripe sent about this payment has been through both workers: nothing more comes.
    const events = (await stripe.events.list({ created: { gte: startedAt }, limit: 100 })).data;
    expect(events.map((e) => e.type)).toContain('payment_intent.succeeded');
    await until('every Stripe event of the payment processed and both queues empty', async () => {
      for (const event of events) if (!(await processed(event.id))) return false;
      return (await queueEmpty(local.env.STRIPE_EVENTS_QUEUE_URL!)) && (await queueEmpty(local.env.NOTIFICATIONS_QUEUE_URL!));
    }, 30_000);
    expect(toBuyer()).toHaveLength(1);
  }, 120_000);
});
