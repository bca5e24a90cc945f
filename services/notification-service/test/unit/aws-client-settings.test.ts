import { createDynamoDbClient } from '../../src/adapters/aws/clients';
import { createSesClient } from '../../src/adapters/ses/ses-client';

// Per-call CPU: the clients resolve their middleware once per command type and carry no SDK
// logger middleware; their bounds stay as they were.

describe.each([
  ['DynamoDB', () => createDynamoDbClient({ AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' }), 3],
  ['SES', () => createSesClient({ AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_SESV2: 'http://127.0.0.1:9' }), 2],
])('the %s client', (_name, create, attempts) => {
  it('caches its resolved middleware and has no logger middleware', async () => {
    const client = create();
    const names = client.middlewareStack.identify().map((entry) => entry.split(' ')[0]);
    const maxAttempts = await client.config.maxAttempts();
    client.destroy();
    expect(client.config.cacheMiddleware).toBe(true);
    expect(names).not.toContain('loggerMiddleware');
    expect(names).toContain('retryMiddleware');
    expect(maxAttempts).toBe(attempts);
  });
});
