import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceUnavailableError } from '@shared/errors/domain-error';
import { httpEvent, lambdaContext } from '../../../../shared/test/support/api-gateway-event';
import { mintToken } from '../../../../scripts/lib/token';
import { freePort } from '../../../../scripts/testing/emulators';
import { createDynamoDbClient } from '../../src/adapters/aws/clients';
import { DynamoPaymentRepository } from '../../src/adapters/dynamodb/dynamo-payment-repository';
import { captureOutput } from '../../../../shared/test/support/capture-output';

// A DynamoDB that refuses connections, hangs, or answers 500 must cost the caller a bounded wait
// and a 503 with Retry-After, never the function's timeout or a 500.

process.env.AWS_ACCESS_KEY_ID = 'test';
process.env.AWS_SECRET_ACCESS_KEY = 'test';

const servers: { close(): void }[] = [];
afterAll(() => servers.forEach((s) => s.close()));

async function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<string> {
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  servers.push(server);
  return `http://127.0.0.1:${port}`;
}

const endpoints: [string, () => Promise<string>][] = [
  ['refuses connections', async () => `http://127.0.0.1:${await freePort()}`],
  ['accepts and never answers', async () => {
    const sockets: Socket[] = [];
    const server = createTcpServer((socket) => sockets.push(socket));
    const url = await listen(server);
    servers.push({ close: () => sockets.forEach((s) => s.destroy()) });
    return url;
  }],
  ['answers 500', async () => listen(createHttpServer((_req, res) => {
    res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
    res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'boom' }));
  }))],
];

describe.each(endpoints)('a DynamoDB endpoint that %s', (_what, start) => {
  it('fails as unavailable within the client budget', async () => {
    const client = createDynamoDbClient({ AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_DYNAMODB: await start() });
    const repository = new DynamoPaymentRepository(client, 'payments');
    const started = Date.now();
    const error = await repository.get('user', 'pay_x').catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    client.destroy();
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({ code: 'database_unavailable', retryAfterSeconds: 2 });
    expect(String((error as Error).cause)).not.toMatch(/Credentials/);
    // Three attempts of at most 2 s each plus backoff: far inside the 15 s function.
    expect(elapsed).toBeLessThan(10_000);
  }, 20_000);
});

it('answers the caller 503 with Retry-After through the payments function, and logs the cause', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dependency-failures-'));
  const secretsFile = join(dir, 'secrets.json');
  writeFileSync(secretsFile, JSON.stringify({ 'p-test-jwt-access-token-secret': 'jwt-secret-for-dependency-tests-0123456789', 'p-test-stripe-secret-key': 'sk_test_unused' }));
  Object.assign(process.env, {
    PROJECT_NAME: 'p', ENVIRONMENT: 'test', AWS_REGION: 'us-east-1', SECRETS_SOURCE: 'file', SECRETS_FILE: secretsFile,
    STRIPE_CUSTOMERS_TABLE: 'customers', PAYMENTS_TABLE: 'payments', API_IDEMPOTENCY_TABLE: 'idempotency', PRODUCTS_TABLE: 'products', PRICES_TABLE: 'prices',
    AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${await freePort()}`, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test',
    POWERTOOLS_LOG_LEVEL: 'WARN',
  });
  const { handler } = await import('../../src/handlers/payments/index');
  const token = await mintToken('jwt-secret-for-dependency-tests-0123456789', { sub: 'user-1' }, 60);
  const { result, written } = await captureOutput('stderr', () => handler(httpEvent('GET /stripe/payments', { headers: { authorization: `Bearer ${token}` } }), lambdaContext));
  expect(result.statusCode).toBe(503);
  expect(result.headers?.['retry-after']).toBe('2');
  expect(JSON.parse(result.body ?? '')).toMatchObject({ code: 'database_unavailable', status: 503 });
  expect(written).toMatch(/dependency failure.*database_unavailable.*cause/s);
}, 20_000);
