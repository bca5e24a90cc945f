// One local HTTP server answering at once as DynamoDB, Secrets Manager, SQS and Stripe would for the
// benchmark's requests, so that a cold start measures our code and the SDKs, not a network.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeEndpoints {
  url: string;
  stop(): Promise<void>;
}

const DYNAMODB: Record<string, unknown> = {
  DescribeTable: { Table: { TableName: 't', TableStatus: 'ACTIVE' } },
  GetItem: {},
  Query: { Items: [], Count: 0, ScannedCount: 0 },
  Scan: { Items: [], Count: 0, ScannedCount: 0 },
  PutItem: {},
  UpdateItem: {},
  BatchWriteItem: { UnprocessedItems: {} },
};

const BENCH_PAYMENT = {
  userId: 'bench-pay-user', paymentId: 'pay_bench', stripePaymentIntentId: 'pi_bench', stripeCustomerId: 'cus_bench', amount: 2000, currency: 'usd',
  captureMethod: 'automatic', status: 'pending', intentStatus: 'pending', amountCapturable: 0, amountReceived: 0, amountRefunded: 0, refunds: [],
  metadata: {}, stripeUpdatedAt: 1767225600, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', version: 1,
};

const PAYMENT_ITEM = { userId: { S: 'bench-pay-user' }, paymentId: { S: 'pay_bench' }, version: { N: '1' }, record: { S: JSON.stringify(BENCH_PAYMENT) } };

export async function startFakeEndpoints(secretValue: string): Promise<FakeEndpoints> {
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? '');
      let body: unknown;
      let type = 'application/json';
      if (target === 'DynamoDB_20120810.GetItem' && Buffer.concat(chunks).toString('utf8').includes('bench-mail-user')) {
        // The notification worker's customer, with an address to mail.
        body = { Item: { userId: { S: 'bench-mail-user' }, email: { S: 'bench@example.com' } } };
        type = 'application/x-amz-json-1.0';
      } else if (target === 'DynamoDB_20120810.GetItem' && Buffer.concat(chunks).toString('utf8').includes('bench-pay-user')) {
        // The events worker's payment, made through the API and waiting for its intent's success.
        body = { Item: PAYMENT_ITEM };
        type = 'application/x-amz-json-1.0';
      } else if (target === 'DynamoDB_20120810.BatchGetItem') {
        // The events worker reads the event's record (none yet) and the payment together.
        const sent = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { RequestItems?: Record<string, { Keys?: unknown[] }> };
        const responses = Object.fromEntries(
          Object.entries(sent.RequestItems ?? {}).map(([table, request]) => [table, JSON.stringify(request.Keys ?? []).includes('bench-pay-user') ? [PAYMENT_ITEM] : []]),
        );
        body = { Responses: responses, UnprocessedKeys: {} };
        type = 'application/x-amz-json-1.0';
      } else if (target.startsWith('DynamoDB_20120810.')) {
        body = DYNAMODB[target.slice('DynamoDB_20120810.'.length)];
        type = 'application/x-amz-json-1.0';
      } else if (target === 'secretsmanager.GetSecretValue') {
        body = { ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:bench', Name: 'bench', SecretString: secretValue, VersionId: 'v1' };
        type = 'application/x-amz-json-1.1';
      } else if (target === 'AmazonSQS.SendMessage') {
        // The SQS client checks the MD5 of the body it sent against the answer's.
        const sent = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { MessageBody?: string };
        body = { MessageId: 'bench-message', MD5OfMessageBody: createHash('md5').update(sent.MessageBody ?? '').digest('hex') };
        type = 'application/x-amz-json-1.0';
      } else if (request.method === 'POST' && Buffer.concat(chunks).toString('utf8').startsWith('Action=Publish')) {
        // SNS speaks the query protocol: a form in, XML out.
        body = '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>bench-publish</MessageId></PublishResult><ResponseMetadata><RequestId>bench</RequestId></ResponseMetadata></PublishResponse>';
        type = 'text/xml';
      } else if (request.method === 'POST' && request.url === '/v2/email/outbound-emails') {
        body = { MessageId: 'bench-mail' };
      } else if (request.url?.startsWith('/v1/')) {
        body = { object: 'list', data: [], has_more: false, url: '/v1/customers' };
      }
      if (body === undefined) {
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: `the benchmark does not fake ${target || request.url}` }));
        return;
      }
      response.writeHead(200, { 'content-type': type });
      response.end(typeof body === 'string' ? body : JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
