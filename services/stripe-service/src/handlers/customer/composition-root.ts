import { JwtAuthenticator } from '@shared/auth/jwt-authenticator';
import { GetCustomer } from '../../application/customers/get-customer';
import { GetOrCreateCustomer } from '../../application/customers/get-or-create-customer';
import { composeFunction, resolvedOnDemand } from '../../composition/compose';
import { customersModule } from '../../composition/customers';
import { authModule } from '../../composition/auth';
import { awsModule } from '../../composition/aws';
import { platformModule } from '../../composition/platform';
import { stripeModule } from '../../composition/stripe';
import { createTelemetry } from '../../composition/service';

const NEEDS = ['STRIPE_CUSTOMERS_TABLE', 'AWS_ENDPOINT_URL_DYNAMODB', 'STRIPE_API_URL', 'JWT_JWKS_URL', 'JWT_ISSUER', 'JWT_AUDIENCE'] as const;

export const telemetry = createTelemetry();

/** The customer function: JWT auth, the customers table and Stripe customers. */
export const compose = () =>
  composeFunction(
    NEEDS,
    (config) => [platformModule(config, telemetry), authModule(config), awsModule(config), stripeModule(config), customersModule(config)],
    (container) =>
      resolvedOnDemand({
        authenticator: () => container.get(JwtAuthenticator),
        getOrCreateCustomer: () => container.get(GetOrCreateCustomer),
        getCustomer: () => container.get(GetCustomer),
      }),
  );
