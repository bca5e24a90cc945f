import { ConfigurationError, env, readEnv } from '@shared/config/env';

/**
 * Every environment variable the service's functions read. Each composition root loads only the
 * ones its function needs (`loadConfig`), validated once at cold start.
 */
const CATALOGUE = {
  PROJECT_NAME: env.name(),
  ENVIRONMENT: env.name(),
  AWS_REGION: env.required(),
  SECRETS_SOURCE: env.oneOf(['aws', 'file'] as const, 'aws'),
  SECRETS_FILE: env.optional(),
  SECRET_CACHE_TTL_SECONDS: env.integer(300, 0, 86_400),
  STRIPE_API_URL: env.optionalUrl(),
  /** The stack's Stripe mode: `true` for live keys; the webhook ingress drops events of the other mode. */
  STRIPE_LIVEMODE: env.oneOf(['true', 'false'] as const, 'false'),
  JWT_JWKS_URL: env.optionalUrl(),
  JWT_ISSUER: env.optional(),
  JWT_AUDIENCE: env.optional(),
  AWS_ENDPOINT_URL_DYNAMODB: env.optionalUrl(),
  AWS_ENDPOINT_URL_SQS: env.optionalUrl(),
  AWS_ENDPOINT_URL_SNS: env.optionalUrl(),
  AWS_ENDPOINT_URL_SECRETS_MANAGER: env.optionalUrl(),
  STRIPE_CUSTOMERS_TABLE: env.name(),
  WEBHOOK_IDEMPOTENCY_TABLE: env.name(),
  API_IDEMPOTENCY_TABLE: env.name(),
  PAYMENTS_TABLE: env.name(),
  SUBSCRIPTIONS_TABLE: env.name(),
  PRODUCTS_TABLE: env.name(),
  PRICES_TABLE: env.name(),
  STRIPE_EVENTS_QUEUE_URL: env.url(),
  NOTIFICATIONS_QUEUE_URL: env.url(),
  BILLING_EVENTS_TOPIC_ARN: env.arn(),
};

type Catalogue = typeof CATALOGUE;
export type VariableName = keyof Catalogue;

/** What every function needs to reach AWS and its secrets. */
const BASE = [
  'PROJECT_NAME',
  'ENVIRONMENT',
  'AWS_REGION',
  'SECRETS_SOURCE',
  'SECRETS_FILE',
  'SECRET_CACHE_TTL_SECONDS',
  'AWS_ENDPOINT_URL_SECRETS_MANAGER',
] as const satisfies readonly VariableName[];

export type Config<K extends VariableName> = {
  [P in K | (typeof BASE)[number]]: ReturnType<typeof readEnv<Pick<Catalogue, P>>>[P];
};

export const CONFIG = Symbol.for('Config');

/** Reads the base variables plus `names`; throws one ConfigurationError naming every problem. */
export function loadConfig<K extends VariableName>(
  names: readonly K[],
  source: Record<string, string | undefined> = process.env,
): Config<K> {
  const wanted = [...BASE, ...names];
  const schemas = Object.fromEntries(wanted.map((name) => [name, CATALOGUE[name]])) as Pick<Catalogue, K | (typeof BASE)[number]>;
  const config = readEnv(schemas, source) as Config<K>;
  if (config.SECRETS_SOURCE === 'file' && !config.SECRETS_FILE) {
    throw new ConfigurationError(['SECRETS_FILE is required when SECRETS_SOURCE=file']);
  }
  return config;
}

/** The secret cache time a function given `variables` runs with: the rule its cold start applies, default included. */
export function secretCacheTtlSecondsOf(variables: Record<string, string | undefined>): number {
  return readEnv({ SECRET_CACHE_TTL_SECONDS: CATALOGUE.SECRET_CACHE_TTL_SECONDS }, variables).SECRET_CACHE_TTL_SECONDS;
}

export type SecretName = 'stripe-secret-key' | 'stripe-webhook-secret' | 'jwt-access-token-secret';

/** Secrets are named `{PROJECT_NAME}-{ENVIRONMENT}-{name}` in Secrets Manager and in the local secrets file. */
export function secretId(config: { PROJECT_NAME: string; ENVIRONMENT: string }, name: SecretName): string {
  return `${config.PROJECT_NAME}-${config.ENVIRONMENT}-${name}`;
}
