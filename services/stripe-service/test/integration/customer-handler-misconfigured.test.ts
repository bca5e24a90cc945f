import { httpEvent, lambdaContext } from '../../../../shared/test/support/api-gateway-event';
import { captureOutput } from '../../../../shared/test/support/capture-output';

// A deployment with broken configuration must fail loudly in the logs (every problem named once)
// and quietly to callers (a generic problem document, nothing about the environment).
it('answers a generic 500 problem and logs every missing or malformed variable', async () => {
  Object.assign(process.env, {
    PROJECT_NAME: '',
    ENVIRONMENT: '',
    STRIPE_CUSTOMERS_TABLE: '',
    SECRETS_SOURCE: '',
    AWS_REGION: 'us-east-1',
    STRIPE_API_URL: 'not a url',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
  const { handler } = await import('../../src/handlers/customer/index');

  const { result, written } = await captureOutput('stderr', () => handler(httpEvent('GET /stripe/customer', { headers: { authorization: 'Bearer a.b.c' } }), lambdaContext));

  expect(result.statusCode).toBe(500);
  expect(JSON.parse(result.body ?? '')).toMatchObject({ code: 'internal_error', status: 500 });
  expect(result.body).not.toMatch(/PROJECT_NAME|STRIPE_API_URL|not a url/);
  const logs = written;
  for (const problem of ['PROJECT_NAME is required', 'ENVIRONMENT is required', 'STRIPE_CUSTOMERS_TABLE is required', 'STRIPE_API_URL is malformed']) {
    expect(logs).toContain(problem);
  }
  expect(logs).not.toContain('not a url');
});
