import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ServiceUnavailableError } from '@shared/errors/domain-error';
import { createDynamoDbClient } from '../../src/adapters/aws/clients';
import { createSnsClient } from '../../src/adapters/aws/sns-client';
import { createSqsClient } from '../../src/adapters/aws/sqs-client';

// The clients resolve their middleware once per command type and drop the SDK's logger
// middleware (per-call CPU); neither may change what a call sends or how a failure is reported.

process.env.AWS_ACCESS_KEY_ID = 'test';
process.env.AWS_SECRET_ACCESS_KEY = 'test';

const region = 'us-east-1';
const unused = 'http://127.0.0.1:9';

describe.each([
  ['DynamoDB', () => createDynamoDbClient({ AWS_REGION: region, AWS_ENDPOINT_URL_DYNAMODB: unused })],
  ['SQS', () => createSqsClient({ AWS_REGION: region, AWS_ENDPOINT_URL_SQS: unused })],
  ['SNS', () => createSnsClient({ AWS_REGION: region, AWS_ENDPOINT_URL_SNS: unused })],
])('the %s client', (_name, create) => {
  it('caches its resolved middleware, has no logger middleware and keeps the unavailable mapping', () => {
    const client = create();
    const names = client.middlewareStack.identify().map((entry) => entry.split(' ')[0]);
    client.destroy();
    expect(client.config.cacheMiddleware).toBe(true);
    expect(names).not.toContain('loggerMiddleware');
    expect(names).toContain('transientErrorsAreUnavailable');
  });
});

describe('a DynamoDB client whose middleware is cached', () => {
  const bodies: string[] = [];
  let failNext = false;
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      if (failNext) {
        response.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'boom' }));
        return;
      }
      const key = (JSON.parse(bodies.at(-1)!) as { Key: { id: { S: string } } }).Key.id.S;
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify({ Item: { id: { S: key } } }));
    });
  });
  let endpoint = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends each call its own input and reads each answer as its own', async () => {
    const client = createDynamoDbClient({ AWS_REGION: region, AWS_ENDPOINT_URL_DYNAMODB: endpoint });
    const answers = [];
    for (const id of ['first', 'second', 'third']) answers.push(await client.send(new GetItemCommand({ TableName: 'things', Key: { id: { S: id } } })));
    client.destroy();
    expect(answers.map((a) => a.Item?.id?.S)).toEqual(['first', 'second', 'third']);
    expect(bodies.slice(-3).map((b) => (JSON.parse(b) as { Key: { id: { S: string } } }).Key.id.S)).toEqual(['first', 'second', 'third']);
  });

  it('still reports a failing DynamoDB as unavailable once its middleware is cached', async () => {
    const client = createDynamoDbClient({ AWS_REGION: region, AWS_ENDPOINT_URL_DYNAMODB: endpoint });
    failNext = false;
    await client.send(new GetItemCommand({ TableName: 'things', Key: { id: { S: 'warm' } } }));
    failNext = true;
    const error = await client.send(new GetItemCommand({ TableName: 'things', Key: { id: { S: 'cold' } } })).catch((e: unknown) => e);
    failNext = false;
    client.destroy();
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({ code: 'database_unavailable' });
  }, 20_000);
});
