// Latency of POST /stripe/payment-intent on the local stack, in both modes, next to the Stripe
// simulator's own time for the Stripe calls each request makes (timed directly with the SDK), so the
// ratio shows what the service adds: authentication, idempotency records, DynamoDB, mapping.
// Usage: npm run bench:latency -- [--requests 200]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import Stripe from 'stripe';
import { startLocalStack } from '../scripts/dev-stack/index';
import { seedCatalog } from '../scripts/lib/sample-catalog';
import { mintToken } from '../scripts/lib/token';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const flag = process.argv.indexOf('--requests');
const requests = flag > 0 ? Number(process.argv[flag + 1]) : 200;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

const dataDir = mkdtempSync(join(tmpdir(), 'latency-'));
const stack = await startLocalStack({ dataDir, apiPort: 0, dynamodbPort: 0, sqsPort: 0, stripePort: 0, quiet: true });
try {
  const secrets = JSON.parse(readFileSync(stack.secretsFile, 'utf8')) as Record<string, string>;
  const prefix = `${stack.env.PROJECT_NAME}-${stack.env.ENVIRONMENT}`;
  const token = await mintToken(secrets[`${prefix}-jwt-access-token-secret`]!, { sub: `latency-${randomUUID()}`, email: 'latency@example.com' }, 3600);
  const dynamo = new DynamoDBClient({ endpoint: stack.endpoints.dynamodb, region: stack.region, credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
  await seedCatalog(dynamo, { products: stack.env.PRODUCTS_TABLE!, prices: stack.env.PRICES_TABLE! });
  dynamo.destroy();
  const url = new URL(stack.stripeUrl);
  const stripe = new Stripe(secrets[`${prefix}-stripe-secret-key`]!, { host: url.hostname, port: url.port, protocol: 'http', maxNetworkRetries: 0 });

  const post = (body: unknown) => async () => {
    const response = await fetch(`${stack.apiUrl}/stripe/payment-intent`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify(body),
    });
    await response.text();
    if (response.status !== 201) throw new Error(`POST /stripe/payment-intent answered ${response.status}`);
  };
  const modes = {
    amount: { api: post({ amount: 2000, currency: 'usd' }), simulator: async () => stripe.paymentIntents.create({ amount: 2000, currency: 'usd', automatic_payment_methods: { enabled: true, allow_redirects: 'never' } }) },
    checkout: {
      api: post({ priceId: 'ebook-usd', successUrl: 'https://shop.example.com/ok', cancelUrl: 'https://shop.example.com/no' }),
      // After the first request the price is synced: each request reads the product and the price by lookup key, then opens the session.
      simulator: async () => {
        await stripe.products.retrieve('prod_local_ebook');
        const price = (await stripe.prices.list({ lookup_keys: ['local:ebook-usd'], active: true, limit: 1 })).data[0]!;
        await stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price: price.id, quantity: 1 }], success_url: 'https://shop.example.com/ok', cancel_url: 'https://shop.example.com/no' });
      },
    },
  };
  console.log(`POST /stripe/payment-intent on the local stack: ${requests} sequential requests per mode after 10 warm-up, Node ${process.version}`);
  console.log('mode        api p50   api p95 | simulator p50  p95 | ratio p50  p95');
  for (const [mode, { api, simulator }] of Object.entries(modes)) {
    for (let i = 0; i < 10; i += 1) await api();
    const apiTimes: number[] = [];
    const simTimes: number[] = [];
    for (let i = 0; i < requests; i += 1) {
      apiTimes.push(await timed(api));
      simTimes.push(await timed(simulator));
    }
    const [a50, a95, s50, s95] = [percentile(apiTimes, 50), percentile(apiTimes, 95), percentile(simTimes, 50), percentile(simTimes, 95)];
    console.log(`${mode.padEnd(9)} ${a50.toFixed(1).padStart(8)} ${a95.toFixed(1).padStart(8)} ms | ${s50.toFixed(1).padStart(12)} ${s95.toFixed(1).padStart(5)} ms | ${(a50 / s50).toFixed(2).padStart(8)}x ${(a95 / s95).toFixed(2).padStart(5)}x`);
  }
} finally {
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
