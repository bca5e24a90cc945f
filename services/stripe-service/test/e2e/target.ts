// Where the end-to-end suites run: the local stack started in-process (default), or a deployed
// stage given E2E_BASE_URL and E2E_JWT_SECRET (the stage's HS256 secret, used to mint test tokens).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack } from '../../../../scripts/dev-stack/index';
import { mintToken, type TokenClaims } from '../../../../scripts/lib/token';
import { unwrapSecretValue } from '@shared/secrets/secret-provider';

export interface LocalDetails {
  stripeUrl: string;
  stripeSecretKey: string;
  dynamodbEndpoint: string;
  region: string;
  env: Record<string, string>;
}

export interface E2eTarget {
  baseUrl: string;
  tokenFor(claims: TokenClaims): Promise<string>;
  /** Present only against the local stack, where tests may look behind the API. */
  local: LocalDetails | undefined;
  stop(): Promise<void>;
}

const mint = (secret: string, claims: TokenClaims) => mintToken(secret, { role: 'user', ...claims }, 600);

/**
 * A token minted for a deployed stage is a live credential for it until it expires: on GitHub
 * Actions the runner is told to mask it before anything (a failing test printing a request) could
 * show it in the log. The command must start its own line, hence the newline first.
 */
async function mintMasked(secret: string, claims: TokenClaims): Promise<string> {
  const token = await mint(secret, claims);
  if (process.env.GITHUB_ACTIONS === 'true') process.stdout.write(`\n::add-mask::${token}\n`);
  return token;
}

export async function startTarget(): Promise<E2eTarget> {
  const deployed = process.env.E2E_BASE_URL;
  if (deployed) {
    const secret = process.env.E2E_JWT_SECRET;
    if (!secret) throw new Error('E2E_BASE_URL needs E2E_JWT_SECRET to mint test tokens');
    // As Secrets Manager holds it: plain, or JSON with a key field, unwrapped as the functions do.
    const key = unwrapSecretValue(secret);
    return { baseUrl: deployed.replace(/\/$/, ''), tokenFor: (claims) => mintMasked(key, claims), local: undefined, stop: async () => {} };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'e2e-stack-'));
  const stack = await startLocalStack({ dataDir, apiPort: 0, dynamodbPort: 0, sqsPort: 0, stripePort: 0, quiet: true });
  const secrets = JSON.parse(readFileSync(stack.secretsFile, 'utf8')) as Record<string, string>;
  const prefix = `${stack.env.PROJECT_NAME}-${stack.env.ENVIRONMENT}`;
  const jwtSecret = secrets[`${prefix}-jwt-access-token-secret`];
  const stripeSecretKey = secrets[`${prefix}-stripe-secret-key`];
  if (!jwtSecret || !stripeSecretKey) throw new Error(`the local secrets file lacks ${prefix}-* secrets`);
  return {
    baseUrl: stack.apiUrl,
    tokenFor: (claims) => mint(jwtSecret, claims),
    local: {
      stripeUrl: stack.stripeUrl,
      stripeSecretKey,
      dynamodbEndpoint: stack.endpoints.dynamodb,
      region: stack.region,
      env: stack.env,
    },
    stop: async () => {
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Starts the target before the file's tests and stops it after; the getter gives it to them. */
export function useTarget(): () => E2eTarget {
  let target: E2eTarget | undefined;
  beforeAll(async () => {
    target = await startTarget();
  }, 60_000);
  afterAll(async () => target?.stop());
  return () => {
    if (!target) throw new Error('the end-to-end target did not start');
    return target;
  };
}
