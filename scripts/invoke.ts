// `npm run invoke -- <function> <event.json> [--sub u1 --email u1@example.com --role user]`: runs one
// function once on a sample event, like `sam local invoke`. It uses the running local stack when
// there is one, otherwise starts the emulators over the same `.data/` state for the one call.
// `{{token}}` in the event becomes an access token for the given claims. The result is printed
// on the last line of stdout.
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalStack } from './dev-stack/index';
import { invoke, loadHandler } from './dev-stack/lambda-runtime';
import { ensureLocalSecrets } from './dev-stack/local-secrets';
import { loadResources, localDataDir } from './lib/resources';
import { mintToken } from './lib/token';

// Lambda runs these handlers on nodejs22.x; the SDK's notice about Node 20 is noise on a laptop.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    sub: { type: 'string', default: 'local-user' },
    email: { type: 'string', default: 'local-user@example.com' },
    role: { type: 'string', default: 'user' },
  },
});
const [functionId, eventPath] = positionals;
const resources = loadResources();
const fn = resources.functions.find((f) => f.id === functionId);
if (!fn || !eventPath) {
  console.error(`Usage: npm run invoke -- <function> <event.json>\nFunctions: ${resources.functions.map((f) => f.id).join(', ')}`);
  process.exit(2);
}

const dataDir = localDataDir();
const projectName = process.env.PROJECT_NAME || 'stripe-payments';
const secrets = ensureLocalSecrets(dataDir, `${projectName}-local`);
const token = await mintToken(secrets.jwtAccessTokenSecret, { sub: values.sub, email: values.email, role: values.role });
const event: unknown = JSON.parse(
  readFileSync(isAbsolute(eventPath) ? eventPath : join(process.cwd(), eventPath), 'utf8').replaceAll('{{token}}', token),
);

/** The running stack's environment, if `npm run dev` is up. */
async function runningStackEnv(): Promise<Record<string, string> | undefined> {
  const path = join(dataDir, 'dev-stack.json');
  if (!existsSync(path)) return undefined;
  const described = JSON.parse(readFileSync(path, 'utf8')) as { apiUrl?: string; env?: Record<string, string> };
  if (!described.apiUrl || !described.env) return undefined;
  try {
    await fetch(`${described.apiUrl}/stripe/health`, { signal: AbortSignal.timeout(2000) });
    return described.env;
  } catch {
    return undefined;
  }
}

const runningEnv = await runningStackEnv();
// Its own emulators on free ports: a one-off call needs no fixed addresses.
const stack = runningEnv
  ? undefined
  : await startLocalStack({ dataDir, api: false, workers: false, quiet: true, apiPort: 0, dynamodbPort: 0, sqsPort: 0, stripePort: 0 });
if (runningEnv) Object.assign(process.env, runningEnv);
let exitCode = 0;
try {
  const result = await invoke(fn, await loadHandler(fn), event, process.env.AWS_REGION ?? 'us-east-1');
  console.log(JSON.stringify(result));
} catch (error) {
  console.error(`${fn.id} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  exitCode = 1;
} finally {
  await stack?.stop();
}
process.exit(exitCode);
