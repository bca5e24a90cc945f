import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Container } from 'inversify';
import { JwtAuthenticator } from '@shared/auth/jwt-authenticator';
import { createLogger, createMetrics } from '@shared/observability/telemetry';
import { SECRET_PROVIDER, type SecretProvider } from '@shared/secrets/secret-provider';
import { GetCustomer } from '../../application/customers/get-customer';
import { GetOrCreateCustomer } from '../../application/customers/get-or-create-customer';
import { CLOCK, type Clock } from '../../application/ports/clock';
import { CUSTOMER_REPOSITORY, type CustomerRepository } from '../../application/ports/customer-repository';
import { CUSTOMER_GATEWAY, type CustomerGateway } from '../../application/ports/payment-gateway';
import { createDynamoDbClient } from '../../adapters/aws/clients';
import { DynamoCustomerRepository } from '../../adapters/dynamodb/dynamo-customer-repository';
import { createSecretProvider } from '../../adapters/secrets/secret-provider-factory';
import { createStripeClient } from '../../adapters/stripe/stripe-client';
import { StripePaymentGateway } from '../../adapters/stripe/stripe-payment-gateway';
import { SystemClock } from '../../adapters/system/system-clock';
import { CONFIG, loadConfig, secretId, type Config } from '../../config';

const NEEDS = [
  'STRIPE_CUSTOMERS_TABLE',
  'AWS_ENDPOINT_URL_DYNAMODB',
  'STRIPE_API_URL',
  'JWT_JWKS_URL',
  'JWT_ISSUER',
  'JWT_AUDIENCE',
] as const;
type CustomerConfig = Config<(typeof NEEDS)[number]>;

const DYNAMODB = Symbol.for('DynamoDBClient');

export const telemetry = { logger: createLogger('stripe-service'), metrics: createMetrics('stripe-service') };

export interface CustomerDeps {
  authenticator: JwtAuthenticator;
  getOrCreateCustomer: GetOrCreateCustomer;
  getCustomer: GetCustomer;
}

/** The customer function: JWT auth, the customers table and Stripe customers. */
export async function compose(): Promise<CustomerDeps> {
  const config = loadConfig(NEEDS);
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind<CustomerConfig>(CONFIG).toConstantValue(config);
  container.bind<Clock>(CLOCK).toConstantValue(new SystemClock());
  container.bind<SecretProvider>(SECRET_PROVIDER).toConstantValue(createSecretProvider(config));
  container.bind<DynamoDBClient>(DYNAMODB).toConstantValue(createDynamoDbClient(config));
  container
    .bind<CustomerRepository>(CUSTOMER_REPOSITORY)
    .toResolvedValue((client: DynamoDBClient) => new DynamoCustomerRepository(client, config.STRIPE_CUSTOMERS_TABLE), [DYNAMODB]);
  container.bind<CustomerGateway>(CUSTOMER_GATEWAY).toResolvedValue(
    async (secrets: SecretProvider) => {
      const apiKey = () => secrets.getSecret(secretId(config, 'stripe-secret-key'));
      return new StripePaymentGateway(createStripeClient({ apiKey: await apiKey(), apiUrl: config.STRIPE_API_URL }), apiKey);
    },
    [SECRET_PROVIDER],
  );
  container.bind(JwtAuthenticator).toResolvedValue(
    (secrets: SecretProvider) =>
      new JwtAuthenticator({
        hs256Secret: () => secrets.getSecret(secretId(config, 'jwt-access-token-secret')),
        jwksUrl: config.JWT_JWKS_URL,
        issuer: config.JWT_ISSUER,
        audience: config.JWT_AUDIENCE,
      }),
    [SECRET_PROVIDER],
  );
  container
    .bind(GetOrCreateCustomer)
    .toResolvedValue(
      (customers: CustomerRepository, gateway: CustomerGateway, clock: Clock) => new GetOrCreateCustomer(customers, gateway, clock),
      [CUSTOMER_REPOSITORY, CUSTOMER_GATEWAY, CLOCK],
    );
  container.bind(GetCustomer).toResolvedValue((customers: CustomerRepository) => new GetCustomer(customers), [CUSTOMER_REPOSITORY]);
  return {
    authenticator: container.get(JwtAuthenticator),
    getOrCreateCustomer: await container.getAsync(GetOrCreateCustomer),
    getCustomer: container.get(GetCustomer),
  };
}
