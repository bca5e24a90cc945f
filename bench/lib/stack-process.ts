// The local stack's emulators in a process of their own: dynalite, fauxqs and the Stripe simulator
// with every resource of resources.json, and no API or workers, which the benchmarks run in
// processes of their own (bench/lib/processes.ts), as AWS runs the functions apart from its
// services. Prints the stack's description (one JSON line) once it is ready and stops cleanly on
// SIGTERM. Usage: tsx bench/lib/stack-process.ts <data dir>
import { describe, startLocalStack } from '../../scripts/dev-stack/index';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: stack-process.ts <data dir>');
const stack = await startLocalStack({ dataDir, api: false, workers: false, dynamodbPort: 0, sqsPort: 0, stripePort: 0, quiet: true });
process.stdout.write(`${JSON.stringify(describe(stack))}\n`);
process.once('SIGTERM', () => {
  void stack.stop().then(() => process.exit(0));
});
