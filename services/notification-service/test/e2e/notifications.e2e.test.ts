// The notification worker on the local stack, fed the way the events worker feeds it: billing
// events published to the billing-events topic, through the filtered subscription, to the
// notifications queue; what it sends lands in the outbox folder and on the /outbox page.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DeleteItemCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { chromium, type Browser } from 'playwright-core';
import type { BillingEvent } from '@shared/events/billing-event';
import { LOCAL_BUSINESS_NAME, LOCAL_MAIL_FROM, startLocalStack, type LocalStack } from '../../../../scripts/dev-stack/index';
import { loadResources, repoRoot } from '../../../../scripts/lib/resources';
import { CHROMIUM_ARGS, ensureChromium } from '../../../../scripts/stripe-simulator/test/chromium';
import { failureEvent, paymentEvent, receiptEvent, refundEvent, refundFailedEvent } from '../support/billing-events';
import { queueDepth, readOutbox, until } from '../support/outbox';

const run = promisify(execFile);
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

let dataDir: string;
let stack: LocalStack;
let dynamo: DynamoDBClient;
let sns: SNSClient;
let sqs: SQSClient;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'notifications-e2e-'));
  stack = await startLocalStack({ dataDir, apiPort: 0, dynamodbPort: 0, sqsPort: 0, stripePort: 0, quiet: true });
  dynamo = new DynamoDBClient({ region: stack.region, endpoint: stack.endpoints.dynamodb, credentials });
  sns = new SNSClient({ region: stack.region, endpoint: stack.endpoints.sns, credentials });
  sqs = new SQSClient({ region: stack.region, endpoint: stack.endpoints.sqs, credentials });
}, 60_000);

afterAll(async () => {
  dynamo?.destroy();
  sns?.destroy();
  sqs?.destroy();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function addCustomer(userId: string, email: string): Promise<void> {
  await dynamo.send(
    new PutItemCommand({
      TableName: stack.tables.customers!.name,
      Item: { userId: { S: userId }, email: { S: email }, status: { S: 'active' }, stripeCustomerId: { S: `cus_${userId}` }, role: { S: 'user' } },
    }),
  );
}

/** As the events worker publishes: the event as the body, `type` and `userId` as attributes for filter policies. */
async function publish(event: BillingEvent | { body: string; type: string; userId: string }): Promise<void> {
  const [body, type, userId] = 'body' in event ? [event.body, event.type, event.userId] : [JSON.stringify(event), event.type, event.userId];
  await sns.send(
    new PublishCommand({
      TopicArn: stack.topics.billing_events!.arn,
      Message: body,
      MessageAttributes: { type: { DataType: 'String', StringValue: type }, userId: { DataType: 'String', StringValue: userId } },
    }),
  );
}

const outbox = () => readOutbox(stack.outboxDir);

const mailFor = (eventId: string) => outbox().filter((mail) => mail.headers['x-billing-event-id'] === eventId);

const depth = (url: string) => queueDepth(sqs, url);

/** Every message published so far has been handled: none waits or is in flight, and `marker` was mailed. */
async function drained(markerEventId: string): Promise<void> {
  await until(`the marker ${markerEventId} in the outbox and an empty queue`, async () => mailFor(markerEventId).length === 1 && (await depth(stack.queues.notifications!.url)) === 0);
}

const oneMailFor = (eventId: string) => until(`an email for ${eventId}`, () => (mailFor(eventId).length > 0 ? mailFor(eventId) : undefined));

describe('notifications on the local stack', () => {
  it('mails a receipt for a successful payment, to the address on file', async () => {
    await addCustomer('receipt-user', 'receipt-user@example.org');
    const event = receiptEvent('receipt-user', { amount: 4200, amountReceived: 4200, description: 'Blue widget' });
    await publish(event);
    const mails = await oneMailFor(event.id);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail?.headers).toMatchObject({ from: LOCAL_MAIL_FROM, to: 'receipt-user@example.org', 'x-template': 'receipt', subject: `Your receipt from ${LOCAL_BUSINESS_NAME}: $42.00` });
    expect(mail?.text).toContain('Blue widget');
    expect(mail?.html).toContain('<strong>$42.00</strong>');
  });

  it('mails a failure notice with the reason, and a refund notice with what remains', async () => {
    await addCustomer('notice-user', 'notice-user@example.org');
    const failed = failureEvent('notice-user', { currency: 'jpy', amount: 3000 });
    const refunded = refundEvent('notice-user', { amountReceived: 2000, amountRefunded: 500, refund: { refundId: 're_1', amount: 500 } });
    await publish(failed);
    await publish(refunded);
    const [failure] = await oneMailFor(failed.id);
    expect(failure?.headers['x-template']).toBe('payment-failed');
    expect(failure?.text).toContain('We could not take your payment of ¥3,000.');
    expect(failure?.text).toContain('Reason: Your card has insufficient funds.');
    const [refund] = await oneMailFor(refunded.id);
    expect(refund?.headers['x-template']).toBe('refund');
    expect(refund?.text).toContain('We have refunded $5.00 of your payment of $20.00.');
    expect(refund?.text).toContain('Remaining charge: $15.00');
  });

  it('mails a refund that failed after it was made through the subscription\'s filter: that it did not arrive and that we will be in touch', async () => {
    await addCustomer('refund-failed-user', 'refund-failed-user@example.org');
    const event = refundFailedEvent('refund-failed-user', { amountReceived: 2000, refund: { refundId: 're_f', amount: 800, failureReason: 'expired_or_canceled_card' } });
    await publish(event);
    const mails = await oneMailFor(event.id);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.headers).toMatchObject({ to: 'refund-failed-user@example.org', 'x-template': 'refund-failed' });
    expect(mails[0]?.text).toContain('We tried to refund $8.00 of your payment of $20.00, but your bank could not accept it.');
    expect(mails[0]?.text).toContain('We will contact you to arrange another way to return it.');
  });

  it('adds nothing when the same billing event is delivered ten more times, and nothing for what does not notify', async () => {
    await addCustomer('redelivery-user', 'redelivery-user@example.org');
    const event = receiptEvent('redelivery-user');
    await publish(event);
    await oneMailFor(event.id);
    const authorized = paymentEvent('payment.authorized', 'redelivery-user', { status: 'authorized', captureMethod: 'manual', amountCapturable: 2000, amountReceived: 0 });
    const malformed = { body: '{"id": "bevt_broken", "type": "payment.successful"}', type: 'payment.successful', userId: 'redelivery-user' };
    await Promise.all([...Array.from({ length: 10 }, () => publish(event)), publish(authorized), publish(malformed)]);
    const marker = receiptEvent('redelivery-user', { description: 'marker' });
    await publish(marker);
    await drained(marker.id);
    expect(mailFor(event.id)).toHaveLength(1);
    expect(mailFor(authorized.id)).toHaveLength(0);
    expect(mailFor('bevt_broken')).toHaveLength(0);
    // The malformed one was acknowledged, not dead-lettered.
    expect(await depth(stack.queues.notifications!.dlq.url)).toBe(0);
  });

  it('lists the outbox on a page a person can read, and shows each message', async () => {
    await until('some mail in the outbox', () => outbox().length >= 3);
    const count = outbox().length;
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({ executablePath: await ensureChromium(), headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
      const page = await browser.newPage();
      await page.goto(`${stack.apiUrl}/outbox`);
      expect(await page.locator('#count').textContent()).toContain(`${count} messages`);
      expect(await page.locator('tbody tr').count()).toBe(count);
      const receiptRow = page.locator('tbody tr', { hasText: 'Your receipt from Example Store: $42.00' });
      expect(await receiptRow.locator('td').nth(1).textContent()).toBe('receipt-user@example.org');
      await receiptRow.locator('a').click();
      await page.waitForURL(/\/outbox\/.+\.eml$/);
      expect(await page.locator('h1').textContent()).toBe('Your receipt from Example Store: $42.00');
      expect(await page.locator('#text').textContent()).toContain('Amount paid: $42.00');
      // The HTML part, rendered in its sandboxed frame.
      const frame = page.frameLocator('iframe[title="HTML part"]');
      expect(await frame.locator('h1').textContent()).toBe('Thank you for your payment');
    } finally {
      await browser?.close();
    }
  }, 120_000);

  it('dead-letters a message that keeps failing, and npm run redrive -- notifications brings it back once the cause is gone', async () => {
    await addCustomer('poison-user', 'poison-user@example.org');
    const event = receiptEvent('poison-user');
    // A claim that never ends (a delivery that hangs forever): every delivery is told to retry.
    const ledgerKey = { eventId: { S: event.id } };
    await dynamo.send(
      new PutItemCommand({
        TableName: stack.tables.notifications_sent!.name,
        Item: { ...ledgerKey, status: { S: 'sending' }, token: { S: 'stuck' }, leaseExpiresAt: { N: String(Date.now() + 86_400_000) } },
      }),
    );
    const queue = stack.queues.notifications!;
    // Retries come after the visibility timeout; shortened here so five receives take seconds, not minutes.
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queue.url, Attributes: { VisibilityTimeout: '1' } }));
    try {
      await publish(event);
      await until('the message in the notifications DLQ', async () => (await depth(queue.dlq.url)) === 1, 30_000);
      expect(mailFor(event.id)).toHaveLength(0);

      await dynamo.send(new DeleteItemCommand({ TableName: stack.tables.notifications_sent!.name, Key: ledgerKey }));
      const { stdout } = await run('npx', ['tsx', 'scripts/redrive.ts', 'notifications', '--apply'], {
        cwd: repoRoot,
        env: { ...process.env, LOCAL_STACK_DATA_DIR: dataDir, ENVIRONMENT: '', PROJECT_NAME: '' },
        timeout: 60_000,
      });
      expect(stdout).toMatch(/notifications/);
      const mails = await oneMailFor(event.id);
      expect(mails).toHaveLength(1);
      expect(await depth(queue.dlq.url)).toBe(0);
    } finally {
      const declared = loadResources().queues.find((q) => q.id === 'notifications')!.visibilityTimeoutSeconds;
      await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queue.url, Attributes: { VisibilityTimeout: String(declared) } }));
    }
  }, 120_000);
});
