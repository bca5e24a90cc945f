// The local stack's secrets file (git-ignored, under the data directory): the same ids as Secrets
// Manager, `{project}-{environment}-{name}`, so the file provider and the AWS provider are
// addressed identically. Values are generated once and kept across restarts so minted tokens and
// registered webhook endpoints stay valid.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';

export interface LocalSecrets {
  path: string;
  stripeSecretKey: string;
  stripeWebhookSecret: string;
  jwtAccessTokenSecret: string;
}

/** Keys the local stack generates for the simulator; any other key is a real one given for one run. */
const SIMULATOR_KEY_PREFIX = 'sk_test_local';

export function secretsFilePath(dataDir: string): string {
  return join(dataDir, 'secrets.json');
}

export interface SecretOverrides {
  /** A real `sk_test_` key replacing the simulator's. */
  stripeSecretKey?: string | undefined;
  /** The signing secret of the webhook endpoint Stripe (or the simulator) delivers to. */
  stripeWebhookSecret?: string | undefined;
}

/** Reads the secrets file, adding whatever is missing and writing the overrides given. */
export function ensureLocalSecrets(dataDir: string, prefix: string, overrides: SecretOverrides = {}): LocalSecrets {
  const path = secretsFilePath(dataDir);
  const current: Record<string, unknown> = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : {};
  const value = (name: string, make: () => string): string => {
    const id = `${prefix}-${name}`;
    const existing = current[id];
    if (typeof existing === 'string' && existing.length > 0) return existing;
    const made = make();
    current[id] = made;
    return made;
  };
  const before = JSON.stringify(current);
  const stripeKeyId = `${prefix}-stripe-secret-key`;
  if (overrides.stripeSecretKey) current[stripeKeyId] = overrides.stripeSecretKey;
  // A real test-mode key given for one run must not become the simulator's key on the next.
  else if (typeof current[stripeKeyId] === 'string' && !current[stripeKeyId].startsWith(SIMULATOR_KEY_PREFIX)) current[stripeKeyId] = undefined;
  if (overrides.stripeWebhookSecret) current[`${prefix}-stripe-webhook-secret`] = overrides.stripeWebhookSecret;
  const secrets: LocalSecrets = {
    path,
    stripeSecretKey: value('stripe-secret-key', () => `${SIMULATOR_KEY_PREFIX}${randomBytes(12).toString('hex')}`),
    stripeWebhookSecret: value('stripe-webhook-secret', () => `whsec_${randomBytes(24).toString('base64url')}`),
    jwtAccessTokenSecret: value('jwt-access-token-secret', () => randomBytes(32).toString('base64url')),
  };
  // Written only when something changed, so `npm run token` beside a starting stack cannot undo what the stack just wrote.
  if (JSON.stringify(current) !== before) {
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(current, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, path);
  }
  return secrets;
}
