// The whole path on the local stack: a customer pays on the Stripe simulator's hosted checkout
// page; Stripe's webhooks go through the ingress, the events queue and the events worker, whose
// billing events reach the notification worker through the topic's filtered subscription.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { chromium, type Browser } from 'playwright-core';
import Stripe from 'stripe';
import { seedCatalog } from '../../../../scripts/lib/sample-catalog';
import { CHROMIUM_ARGS, ensureChromium } from '../../../../scripts/stripe-simulator/test/chromium';
import { startTarget, type E2eTarget, type LocalDetails } from '../../../stripe-service/test/e2e/target';
import { queueDepth, readOutbox, until } from '../support/outbox';

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

const queueEmpty = async (url: string) => (await queueDepth(sqs, url)) === 0;

async function processed(eventId: string): Promise<boolean> {
  const { Item } = await dynamo.send(new GetItemCommand({ TableName: local.env.WEBHOOK_IDEMPOTENCY_TABLE, Key: { eventId: { S: eventId } }, ConsistentRead: true }));
  return Item?.status?.S === 'processed';
}

interface Checkout {
  email: string;
  token: string;
  checkoutSessionId: string;
  /** Stripe events from here on belong to this checkout (tests in this file run one at a time). */
  since: number;
}

/** A price of its own and a buyer of its own, and a checkout for them opened through the API. */
async function openCheckout(unitAmount: number): Promise<Checkout & { checkoutUrl: string }> {
  const tag = randomUUID().slice(0, 8);
  await seedCatalog(dynamo, { products: local.env.PRODUCTS_TABLE!, prices: local.env.PRICES_TABLE! }, {
    products: [{ productId: `prod-${tag}`, name: `Lamp ${tag}`, active: true }],
    prices: [{ priceId: `price-${tag}`, productId: `prod-${tag}`, unitAmount, currency: 'usd', type: 'one_time', active: true }],
  });
  const sub = `buyer-${tag}`;
  const email = `${sub}@example.org`;
  const token = await target.tokenFor({ sub, email });
  const since = Math.floor(Date.now() / 1000) - 1;
  const opened = await fetch(`${target.baseUrl}/stripe/payment-intent`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify({ priceId: `price-${tag}`, successUrl: `${shopUrl}/ok`, cancelUrl: `${shopUrl}/no` }),
  });
  expect(opened.status).toBe(201);
  const { checkoutUrl, checkoutSessionId } = (await opened.json()) as { checkoutUrl: string; checkoutSessionId: string };
  return { email, token, checkoutSessionId, checkoutUrl, since };
}

/** Fills the hosted page with a test card and submits it. */
async function payWith(checkoutUrl: string, card: string, outcome: 'paid' | 'declined') {
  browser ??= await chromium.launch({ executablePath: await ensureChromium(), headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
  const page = await browser.newPage();
  try {
    await page.goto(checkoutUrl);
    await page.fill('#cardNumber', card);
    await page.fill('#cardExpiry', '12 / 34');
    await page.fill('#cardCvc', '123');
    await page.fill('#billingName', 'Buy Er');
    if (outcome === 'paid') await Promise.all([page.waitForURL(`${shopUrl}/ok`), page.click('#submit')]);
    else {
      await page.click('#submit');
      await page.locator('#error').waitFor();
    }
  } finally {
    await page.close();
  }
}

const mailTo = (email: string) => readOutbox(local.env.MAIL_OUTBOX_DIR!).filter((mail) => mail.headers.to === email);

/** Everything Stripe has sent since `since` went through both workers, so no further email can come of it. */
async function settled(since: number, expectedType: string): Promise<void> {
  const events = (await stripe.events.list({ created: { gte: since }, limit: 100 })).data;
  expect(events.map((e) => e.type)).toContain(expectedType);
  await until('every Stripe event processed and both queues empty', async () => {
    for (const event of events) if (!(await processed(event.id))) return false;
    return (await queueEmpty(local.env.STRIPE_EVENTS_QUEUE_URL!)) && (await queueEmpty(local.env.NOTIFICATIONS_QUEUE_URL!));
  }, 30_000);
}

describe('paying on the hosted checkout page', () => {
  let paid: Checkout | undefined;

  it('puts exactly one receipt in the outbox, to the customer, for the amount paid', async () => {
    const checkout = await openCheckout(3100);
    await payWith(checkout.checkoutUrl, '4242 4242 4242 4242', 'paid');
    expect((await stripe.checkout.sessions.retrieve(checkout.checkoutSessionId)).payment_status).toBe('paid');
    const [receipt] = await until('a receipt for the buyer', () => mailTo(checkout.email).length > 0 && mailTo(checkout.email), 30_000);
    expect(receipt?.headers['x-template']).toBe('receipt');
    expect(receipt?.headers.subject).toContain('$31.00');
    await settled(checkout.since, 'payment_intent.succeeded');
    expect(mailTo(checkout.email)).toHaveLength(1);
    paid = checkout;
  }, 120_000);

  it('puts exactly one refund notice in the outbox for a partial refund, with what remains', async () => {
    if (!paid) throw new Error('needs the payment of the previous test');
    const session = await stripe.checkout.sessions.retrieve(paid.checkoutSessionId);
    const since = Math.floor(Date.now() / 1000) - 1;
    const refunded = await fetch(`${target.baseUrl}/stripe/payment-intent/${String(session.payment_intent)}/refund`, {
      method: 'POST',
      headers: { authorization: `Bearer ${paid.token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({ amount: 1000 }),
    });
    expect(refunded.status).toBe(201);
    const refundsTo = () => mailTo(paid!.email).filter((mail) => mail.headers['x-template'] === 'refund');
    const [notice] = await until('a refund notice for the buyer', () => refundsTo().length > 0 && refundsTo(), 30_000);
    expect(notice?.text).toContain('We have refunded $10.00 of your payment of $31.00.');
    expect(notice?.text).toContain('Remaining charge: $21.00');
    await settled(since, 'charge.refunded');
    expect(refundsTo()).toHaveLength(1);
    expect(mailTo(paid.email)).toHaveLength(2);
  }, 120_000);

  it('puts exactly one failure notice in the outbox for a declined card, with the reason', async () => {
    const checkout = await openCheckout(1800);
    await payWith(checkout.checkoutUrl, '4000 0000 0000 9995', 'declined');
    const [notice] = await until('a failure notice for the buyer', () => mailTo(checkout.email).length > 0 && mailTo(checkout.email), 30_000);
    expect(notice?.headers['x-template']).toBe('payment-failed');
    expect(notice?.text).toContain('We could not take your payment of $18.00.');
    expect(notice?.text).toContain('Reason: Your card has insufficient funds.');
    await settled(checkout.since, 'payment_intent.payment_failed');
    expect(mailTo(checkout.email)).toHaveLength(1);
  }, 120_000);
});
