// CPU per AWS SDK call, as the SDK's defaults make it and as this service's clients make it
// (CLIENT_SETTINGS and withoutSdkLogging in services/stripe-service/src/adapters/aws/clients.ts),
// against a local server that answers at once, so what is measured is the client's own work:
// middleware, serialization, SigV4 signing, the HTTP request. The workers make about five such calls
// per event, so this cost bounds their throughput on a machine of few cores.
// Each configuration is warmed, then makes --calls sequential GetItem calls of a payment-sized item;
// the numbers are this process's CPU time (user + system) per call, server included. The
// configurations take turns over three rounds (so none gains from code the JIT warmed for another)
// and the lowest of each is printed.
// Usage: tsx bench/sdk-call-cost.ts [--calls 3000]
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { CLIENT_SETTINGS, withoutSdkLogging } from '../services/stripe-service/src/adapters/aws/clients';
import { machine } from './lib/processes';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const i = process.argv.indexOf('--calls');
const CALLS = i > 0 ? Number(process.argv[i + 1]) : 3000;

// A payment row as the payments table holds it: keys, version and the record as JSON.
const item = JSON.stringify({
  Item: {
    userId: { S: 'bench-user' },
    paymentId: { S: 'pay_bench' },
    version: { N: '3' },
    record: { S: JSON.stringify({ paymentId: 'pay_bench', stripePaymentIntentId: 'pi_bench', amount: 2000, currency: 'usd', status: 'succeeded', metadata: { order: '42' }, refunds: [] }) },
  },
});
const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
    response.end(item);
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const base = { region: 'us-east-1', endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

const configurations: [string, () => DynamoDBClient][] = [
  ['SDK defaults', () => new DynamoDBClient(base)],
  ['+ cacheMiddleware', () => new DynamoDBClient({ ...base, cacheMiddleware: true })],
  [
    "this service's clients (+ no logger middleware)",
    () => {
      const client = new DynamoDBClient({ ...base, ...CLIENT_SETTINGS });
      withoutSdkLogging(client);
      return client;
    },
  ],
];

console.log(`CPU per DynamoDB GetItem against an instant local server, ${CALLS} sequential calls each, best of 3 rounds; ${machine()}`);
const best = new Map<string, { cpu: number; wall: number }>();
try {
  for (let round = 0; round < 3; round += 1) for (const [name, create] of configurations) {
    const client = create();
    const call = () => client.send(new GetItemCommand({ TableName: 'payments', Key: { userId: { S: 'bench-user' }, paymentId: { S: 'pay_bench' } }, ConsistentRead: true }));
    for (let n = 0; n < 300; n += 1) await call();
    const before = process.cpuUsage();
    const started = performance.now();
    for (let n = 0; n < CALLS; n += 1) await call();
    const used = process.cpuUsage(before);
    const ms = performance.now() - started;
    client.destroy();
    const cpu = (used.user + used.system) / 1000 / CALLS;
    const previous = best.get(name);
    best.set(name, { cpu: Math.min(cpu, previous?.cpu ?? cpu), wall: Math.min(ms / CALLS, previous?.wall ?? ms / CALLS) });
  }
  for (const [name, { cpu, wall }] of best) console.log(`  ${name.padEnd(48)} ${cpu.toFixed(3)} ms CPU per call, ${wall.toFixed(3)} ms wall`);
} finally {
  server.close();
}
