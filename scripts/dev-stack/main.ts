// `npm run dev [-- --fresh]`: the whole service on this machine until Ctrl-C.
import { parseArgs } from 'node:util';
import { localDataDir } from '../lib/resources';
import { DEFAULT_PORTS, startLocalStack } from './index';

// Lambda runs these handlers on nodejs22.x; the SDK's notice about Node 20 is noise on a laptop.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

function port(variable: string, fallback: number): number {
  const raw = process.env[variable];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) {
    console.error(`${variable} must be a port number between 0 and 65535, got "${raw}"`);
    process.exit(2);
  }
  return value;
}

async function main(): Promise<void> {
  const started = performance.now();
  const { values } = parseArgs({ options: { fresh: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } } });
  if (values.help) {
    console.log(
      'Usage: npm run dev [-- --fresh]\n\n' +
        '  --fresh   discard the state kept under .data/ and start clean\n\n' +
        'Environment: PORT (API, 3000), DYNAMODB_PORT (8000), SQS_PORT (4566), STRIPE_SIMULATOR_PORT (12111),\n' +
        '  PROJECT_NAME (stripe-payments), STRIPE_SECRET_KEY=sk_test_… to use Stripe test mode instead of the simulator,\n' +
        '  STRIPE_WEBHOOK_SECRET (with Stripe test mode: the secret `stripe listen` prints).',
    );
    return;
  }
  const stripeSecretKey = process.env.STRIPE_SECRET_KEY;
  if (stripeSecretKey && !stripeSecretKey.startsWith('sk_test_')) {
    console.error('STRIPE_SECRET_KEY must be a test-mode key (sk_test_…): the local stack never touches live money.');
    process.exit(2);
  }
  if (stripeSecretKey && !process.env.STRIPE_WEBHOOK_SECRET?.startsWith('whsec_')) {
    console.error('With STRIPE_SECRET_KEY, give STRIPE_WEBHOOK_SECRET too (the whsec_… that `stripe listen` prints), or webhooks would fail their signature check.');
    process.exit(2);
  }
  const dataDir = localDataDir();
  const stack = await startLocalStack({
    dataDir,
    fresh: values.fresh,
    apiPort: port('PORT', DEFAULT_PORTS.api),
    dynamodbPort: port('DYNAMODB_PORT', DEFAULT_PORTS.dynamodb),
    sqsPort: port('SQS_PORT', DEFAULT_PORTS.sqs),
    stripePort: port('STRIPE_SIMULATOR_PORT', DEFAULT_PORTS.stripe),
    ...(process.env.PROJECT_NAME ? { projectName: process.env.PROJECT_NAME } : {}),
    stripeSecretKey,
    stripeWebhookSecret: process.env.STRIPE_WEBHOOK_SECRET,
  });

  console.log(
    [
      `API             ${stack.apiUrl}   (GET ${stack.apiUrl}/stripe/health)`,
      `Stripe          ${stack.stripeUrl}${stripeSecretKey ? '   (test mode)' : '   (simulator)'}`,
      `DynamoDB        ${stack.endpoints.dynamodb}`,
      `SQS + SNS       ${stack.endpoints.sqs}`,
      `Region          ${stack.region}   project ${stack.projectName}, environment ${stack.environment}`,
      `State           ${dataDir}   (details in .data/dev-stack.json)`,
      `Token           npm run token -- --sub u1 --email u1@example.com`,
    ].join('\n'),
  );
  console.log(`ready in ${((performance.now() - started) / 1000).toFixed(1)} s: ${stack.apiUrl} (Ctrl-C to stop)`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the local stack…`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    void stack.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`the local stack could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
