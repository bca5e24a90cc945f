import { Container } from 'inversify';
import { createLogger, createMetrics } from '@shared/observability/telemetry';
import { SECRET_PROVIDER, type SecretProvider } from '@shared/secrets/secret-provider';
import { CheckHealth } from '../../application/health/check-health';
import { CLOCK, type Clock } from '../../application/ports/clock';
import { DEPENDENCY_PROBES, type DependencyProbe } from '../../application/ports/dependency-probe';
import { createDynamoDbClient } from '../../adapters/aws/clients';
import { DynamoTableProbe, SecretProbe, StripeApiProbe } from '../../adapters/health/probes';
import { createSecretProvider } from '../../adapters/secrets/secret-provider-factory';
import { SystemClock } from '../../adapters/system/system-clock';
import { CONFIG, loadConfig, secretId, type Config } from '../../config';

const NEEDS = ['STRIPE_CUSTOMERS_TABLE', 'AWS_ENDPOINT_URL_DYNAMODB', 'STRIPE_API_URL'] as const;
type HealthConfig = Config<(typeof NEEDS)[number]>;

export const telemetry = { logger: createLogger('stripe-service'), metrics: createMetrics('stripe-service') };

export interface HealthDeps {
  checkHealth: CheckHealth;
}

/** The health function checks DynamoDB, the Stripe key's secret and Stripe itself; it loads no Stripe SDK. */
export async function compose(): Promise<HealthDeps> {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind<HealthConfig>(CONFIG).toConstantValue(loadConfig(NEEDS));
  container.bind<Clock>(CLOCK).toConstantValue(new SystemClock());
  container.bind<SecretProvider>(SECRET_PROVIDER).toResolvedValue((config: HealthConfig) => createSecretProvider(config), [CONFIG]);
  container.bind<DependencyProbe[]>(DEPENDENCY_PROBES).toResolvedValue(
    (config: HealthConfig, secrets: SecretProvider) => {
      const stripeKeyId = secretId(config, 'stripe-secret-key');
      return [
        new DynamoTableProbe(createDynamoDbClient(config), config.STRIPE_CUSTOMERS_TABLE),
        new SecretProbe('secrets', secrets, stripeKeyId),
        new StripeApiProbe(() => secrets.getSecret(stripeKeyId), config.STRIPE_API_URL),
      ];
    },
    [CONFIG, SECRET_PROVIDER],
  );
  container.bind(CheckHealth).toResolvedValue((probes: DependencyProbe[], clock: Clock) => new CheckHealth(probes, clock), [DEPENDENCY_PROBES, CLOCK]);
  return { checkHealth: container.get(CheckHealth) };
}
