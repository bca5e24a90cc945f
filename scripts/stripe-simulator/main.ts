// `npm run simulator -- [--port 12111] [--data-dir .data/stripe] [--webhook-url URL --webhook-secret whsec_…] [--rate-limit] [--search-lag 60]`
import { parseArgs } from 'node:util';
import { startStripeSimulator } from './index';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env['STRIPE_SIMULATOR_PORT'] ?? '12111' },
    host: { type: 'string', default: '127.0.0.1' },
    'data-dir': { type: 'string' },
    'webhook-url': { type: 'string', multiple: true },
    'webhook-secret': { type: 'string' },
    'rate-limit': { type: 'boolean', default: false },
    'search-lag': { type: 'string', default: '0' },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be an integer between 0 and 65535, got ${values.port}`);
  process.exit(2);
}

const searchLagSeconds = Number(values['search-lag']);
if (!Number.isInteger(searchLagSeconds) || searchLagSeconds < 0) {
  console.error(`--search-lag must be a non-negative integer (seconds), got ${values['search-lag']}`);
  process.exit(2);
}

const sim = await startStripeSimulator({
  port,
  host: values.host,
  ...(values['data-dir'] !== undefined ? { dataDir: values['data-dir'] } : {}),
  webhookEndpoints: (values['webhook-url'] ?? []).map((url) => ({
    url,
    ...(values['webhook-secret'] !== undefined ? { secret: values['webhook-secret'] } : {}),
  })),
  rateLimit: values['rate-limit'],
  searchLagSeconds,
});
console.log(`Stripe simulator listening on ${sim.url}`);
console.log(`  SDK: new Stripe('sk_test_…', { host: '${values.host}', port: ${sim.port}, protocol: 'http' })`);
for (const endpoint of sim.webhooks.endpoints()) {
  console.log(`  Webhooks: ${endpoint.url} (${endpoint.enabledEvents.join(', ')}), signing secret ${endpoint.secret}`);
}

const shutdown = (): void => {
  void sim.stop().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
