// `npm run token -- --sub u1 --email u1@example.com [--role admin] [--ttl 3600]`: prints an access
// token for the local stack (and only the token, so `TOKEN=$(npm run -s token -- …)` works).
import { parseArgs } from 'node:util';
import { ensureLocalSecrets } from './dev-stack/local-secrets';
import { localDataDir } from './lib/resources';
import { mintToken } from './lib/token';

const { values } = parseArgs({
  options: {
    sub: { type: 'string' },
    email: { type: 'string' },
    role: { type: 'string', default: 'user' },
    ttl: { type: 'string', default: '3600' },
  },
});
const ttl = Number(values.ttl);
if (!values.sub || !Number.isInteger(ttl) || ttl <= 0) {
  console.error('Usage: npm run token -- --sub <user id> [--email <address>] [--role user|admin] [--ttl <seconds>]');
  process.exit(2);
}
const projectName = process.env.PROJECT_NAME || 'stripe-payments';
// The same file the local stack reads; created here if the stack has never run, so the token stays valid.
const secrets = ensureLocalSecrets(localDataDir(), `${projectName}-local`);
console.log(await mintToken(secrets.jwtAccessTokenSecret, { sub: values.sub, email: values.email, role: values.role }, ttl));
