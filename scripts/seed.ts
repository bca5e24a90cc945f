// `npm run seed`: writes sample products and prices into the running local stack's products and
// prices tables (which other services own in AWS), so checkout and `POST /stripe/catalog/sync`
// have something to sell. Safe to repeat.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localDataDir } from './lib/resources';
import { SAMPLE_PRICES, SAMPLE_PRODUCTS, seedCatalog } from './lib/sample-catalog';

interface StackFile {
  region: string;
  endpoints: { dynamodb: string };
  tables: Record<string, { name: string }>;
}

async function main(): Promise<void> {
  const file = join(localDataDir(), 'dev-stack.json');
  if (!existsSync(file)) {
    process.stderr.write('No local stack is running (no .data/dev-stack.json): start it with `npm run dev` first.\n');
    process.exit(1);
  }
  const stack = JSON.parse(readFileSync(file, 'utf8')) as StackFile;
  const products = stack.tables.products?.name;
  const prices = stack.tables.prices?.name;
  if (!products || !prices) throw new Error('dev-stack.json names no products or prices table');
  const client = new DynamoDBClient({ region: stack.region, endpoint: stack.endpoints.dynamodb, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await seedCatalog(client, { products, prices });
  client.destroy();
  process.stdout.write(`seeded ${SAMPLE_PRODUCTS.length} products and ${SAMPLE_PRICES.length} prices into ${products} and ${prices}:\n`);
  for (const price of SAMPLE_PRICES) process.stdout.write(`  ${price.priceId.padEnd(16)} ${price.unitAmount} ${price.currency} ${price.type}${price.interval ? `/${price.interval}` : ''}${price.active ? '' : ' (inactive)'}\n`);
}

await main();
