// `npm run token -- --sub u1 --email u1@example.com [--role admin] [--ttl 3600] [--stage <env>]`:
// prints an access token (and only the token, so `TOKEN=$(npm run -s token -- …)` works) for the
// local stack, or with --stage for a deployed stage, signed with that stage's secret from Secrets
// Manager ('{PROJECT_NAME}-<env>-jwt-access-token-secret' in AWS_REGION).
import { parseArgs } from 'node:util';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { unwrapSecretValue } from '@shared/secrets/secret-provider';
import { AwsSecretsManagerSecretStore } from '../services/stripe-service/src/adapters/secrets/aws-secrets-manager-secret-store';
import { ensureLocalSecrets } from './dev-stack/local-secrets';
import { localDataDir } from './lib/resources';
import { mintToken } from './lib/token';
import { secretId as stageSecretId } from './ops/target';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { values } = parseArgs({
  options: {
    sub: { type: 'string' },
    email: { type: 'string' },
    role: { type: 'string', default: 'user' },
    ttl: { type: 'string', default: '3600' },
    stage: { type: 'string' },
  },
});
const ttl = Number(values.ttl);
if (!values.sub || !Number.isInteger(ttl) || ttl <= 0) {
  console.error('Usage: npm run token -- --sub <user id> [--email <address>] [--role user|admin] [--ttl <seconds>] [--stage <env>]');
  process.exit(2);
}
const claims = { sub: values.sub, email: values.email, role: values.role };

async function stageSecret(stage: string): Promise<string> {
  const projectName = process.env.PROJECT_NAME;
  const region = process.env.AWS_REGION;
  if (!projectName || !region) throw new Error('a deployed stage is named by PROJECT_NAME and AWS_REGION; set both');
  const secretId = stageSecretId({ projectName, environment: stage }, 'jwt_access_token_secret');
  const client = new SecretsManagerClient({ region });
  try {
    const raw = await new AwsSecretsManagerSecretStore(client).read(secretId);
    if (raw === undefined) throw new Error(`the secret ${secretId} does not exist in ${region} (or has no value)`);
    return unwrapSecretValue(raw);
  } finally {
    client.destroy();
  }
}

if (values.stage) {
  try {
    console.log(await mintToken(await stageSecret(values.stage), claims, ttl));
  } catch (error) {
    console.error(`token: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
} else {
  const projectName = process.env.PROJECT_NAME || 'stripe-payments';
  // The same file the local stack reads; created here if the stack has never run, so the token stays valid.
  const secrets = ensureLocalSecrets(localDataDir(), `${projectName}-local`);
  console.log(await mintToken(secrets.jwtAccessTokenSecret, claims, ttl));
}
