import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SecretProbe, StripeApiProbe } from '../../src/adapters/health/probes';

// Each probe must fail when its dependency fails: a probe that says ok during an outage is worse than none.
let server: Server;
let url: string;
let status = 200;
let seenAuthorization: string | undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    seenAuthorization = req.headers.authorization;
    res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('StripeApiProbe', () => {
  it.each([
    [200, undefined],
    [429, undefined],
    [401, 'Stripe rejected the API key'],
    [500, 'Stripe answered 500'],
    [503, 'Stripe answered 503'],
  ])('on a %s answer: %s', async (answer, failure) => {
    status = answer;
    const check = new StripeApiProbe(async () => 'sk_test_probe', url).check();
    if (failure) await expect(check).rejects.toThrow(failure);
    else await expect(check).resolves.toBeUndefined();
    expect(seenAuthorization).toBe('Bearer sk_test_probe');
  });

  it('fails when Stripe is unreachable or the key cannot be read', async () => {
    await expect(new StripeApiProbe(async () => 'sk_test_probe', 'http://127.0.0.1:1').check()).rejects.toThrow(/unreachable/);
    await expect(new StripeApiProbe(async () => Promise.reject(new Error('AccessDenied')), url).check()).rejects.toThrow('could not be read');
  });
});

describe('SecretProbe', () => {
  it('passes when the secret reads and fails, without its value, when it does not', async () => {
    const reading = { getSecret: async () => 'sk_test_value_never_shown' };
    await expect(new SecretProbe('secrets', reading, 'id').check()).resolves.toBeUndefined();
    const failing = { getSecret: async () => Promise.reject(new Error('ResourceNotFoundException: sk_test_value_never_shown')) };
    const error = await new SecretProbe('secrets', failing, 'id').check().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('the secret could not be read');
  });
});
