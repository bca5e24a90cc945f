// The local stack in a process of its own, as `npm run dev` runs it, so a benchmark's client does
// not share the stack's event loop. Prints the stack's description (one JSON line) once it is
// ready and stops cleanly on SIGTERM. Usage: tsx bench/lib/stack-process.ts <data dir>
import { describe, startLocalStack } from '../../scripts/dev-stack/index';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// The benchmark measures requests, not the cost of writing a log line and an EMF record for each;
// overload shows as the benchmark's failed count, not as a warning per 503.
process.env.LOG_LEVEL ??= 'ERROR';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: stack-process.ts <data dir>');
const stack = await startLocalStack({ dataDir, apiPort: 0, dynamodbPort: 0, sqsPort: 0, stripePort: 0, quiet: true, workers: false });
process.stdout.write(`${JSON.stringify(describe(stack))}\n`);
process.once('SIGTERM', () => {
  void stack.stop().then(() => process.exit(0));
});
