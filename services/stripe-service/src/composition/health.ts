import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ContainerModule } from 'inversify';
import { SECRET_PROVIDER, type SecretProvider } from '@shared/secrets/secret-provider';
import { CheckHealth } from '../application/health/check-health';
import { SharedProbe } from '../application/health/shared-probe';
import { CLOCK, type Clock } from '../application/ports/clock';
import { DEPENDENCY_PROBES, type DependencyProbe } from '../application/ports/dependency-probe';
import { DynamoTableProbe, SecretProbe, StripeApiProbe } from '../adapters/health/probes';
import { secretId, type Config } from '../config';
import { DYNAMODB } from './aws';

/** Health: DynamoDB, the Stripe key's secret and Stripe itself, without the Stripe SDK. Needs the platform and aws modules. */
export const healthModule = (config: Config<'STRIPE_CUSTOMERS_TABLE' | 'STRIPE_API_URL'>) =>
  new ContainerModule(({ bind }) => {
    bind<DependencyProbe[]>(DEPENDENCY_PROBES).toResolvedValue(
      (client: DynamoDBClient, secrets: SecretProvider, clock: Clock) => {
        const stripeKeyId = secretId(config, 'stripe-secret-key');
        return [
          new DynamoTableProbe(client, config.STRIPE_CUSTOMERS_TABLE),
          new SecretProbe('secrets', secrets, stripeKeyId),
          new SharedProbe(new StripeApiProbe(() => secrets.getSecret(stripeKeyId), config.STRIPE_API_URL), clock),
        ];
      },
      [DYNAMODB, SECRET_PROVIDER, CLOCK],
    );
    bind(CheckHealth).toResolvedValue((probes: DependencyProbe[], clock: Clock) => new CheckHealth(probes, clock), [DEPENDENCY_PROBES, CLOCK]);
  });
