import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { dynamoClient, startDynalite, startMoto, startStripeMock } from '../emulators';

describe('test emulators', () => {
  it.each([
    ['dynalite', startDynalite],
    ['moto', startMoto],
  ])('%s starts on a free port, answers DynamoDB calls and stops', async (_name, start) => {
    const emulator = await start();
    const client = dynamoClient(emulator.endpoint);
    await expect(client.send(new ListTablesCommand({}))).resolves.toMatchObject({ TableNames: [] });
    client.destroy();
    await emulator.stop();
    await expect(fetch(emulator.endpoint)).rejects.toThrow();
  });

  it('stripe-mock starts and validates requests against Stripe\'s spec', async () => {
    const mock = await startStripeMock();
    try {
      const ok = await fetch(`${mock.endpoint}/v1/customers`, { headers: { authorization: 'Bearer sk_test_123' } });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ object: 'list' });
      const bad = await fetch(`${mock.endpoint}/v1/customers`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk_test_123', 'content-type': 'application/x-www-form-urlencoded' },
        body: 'not_a_customer_param=1',
      });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
    } finally {
      await mock.stop();
    }
  });

  it('runs several stripe-mocks at once, as parallel test files do', async () => {
    const mocks = await Promise.all([startStripeMock(), startStripeMock()]);
    try {
      for (const mock of mocks) {
        const response = await fetch(`${mock.endpoint}/v1/customers`, { headers: { authorization: 'Bearer sk_test_123' } });
        expect(response.status).toBe(200);
      }
    } finally {
      await Promise.all(mocks.map((m) => m.stop()));
    }
  });
});
