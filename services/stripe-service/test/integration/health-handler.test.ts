import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadResources } from '../../../../scripts/lib/resources';
import { dynamoClient, ensureTable, startDynalite, startStripeMock, type Emulator } from '../../../../scripts/testing/emulators';
import { httpEvent, lambdaContext } from '../../../../shared/test/support/api-gateway-event';

// The health function as deployed: its own composition root, configured only through the
// environment, against DynamoDB (dynalite), the local secrets file and Stripe (stripe-mock).
let dynamo: Emulator;
let stripe: Emulator;

beforeAll(async () => {
  [dynamo, stripe] = await Promise.all([startDynalite(), startStripeMock()]);
  const customers = loadResources().tables.find((t) => t.id === 'customers');
  if (!customers) throw new Error('no customers table');
  const client = dynamoClient(dynamo.endpoint);
  await ensureTable(client, customers, 'health-test-customers');
  client.destroy();
  const secretsFile = join(mkdtempSync(join(tmpdir(), 'health-')), 'secrets.json');
  writeFileSync(secretsFile, JSON.stringify({ 'proj-test-stripe-secret-key': 'sk_test_healthcheck123' }));
  Object.assign(process.env, {
    PROJECT_NAME: 'proj',
    ENVIRONMENT: 'test',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    STRIPE_CUSTOMERS_TABLE: 'health-test-customers',
    SECRETS_SOURCE: 'file',
    SECRETS_FILE: secretsFile,
    STRIPE_API_URL: stripe.endpoint,
  });
});

afterAll(async () => {
  await Promise.all([dynamo?.stop(), stripe?.stop()]);
});

it('answers 200 while DynamoDB, the secret and Stripe answer, and a clean 503 naming DynamoDB once it is down', async () => {
  const { handler } = await import('../../src/handlers/health/index');
  const healthy = await handler(httpEvent('GET /stripe/health'), lambdaContext);
  expect(healthy.statusCode).toBe(200);
  expect(JSON.parse(healthy.body ?? '')).toMatchObject({
    status: 'ok',
    checks: { dynamodb: { status: 'ok' }, secrets: { status: 'ok' }, stripe: { status: 'ok' } },
  });

  await dynamo.stop();
  const degraded = await handler(httpEvent('GET /stripe/health'), lambdaContext);
  expect(degraded.statusCode).toBe(503);
  expect(degraded.headers?.['content-type']).toBe('application/problem+json');
  const body = JSON.parse(degraded.body ?? '');
  expect(body).toMatchObject({
    status: 503,
    code: 'dependency_unavailable',
    detail: 'Dependencies failing: dynamodb.',
    checks: { dynamodb: { status: 'failed' }, secrets: { status: 'ok' }, stripe: { status: 'ok' } },
  });
  expect(degraded.body).not.toContain('sk_test_healthcheck123');
}, 30_000);
