import { JwtAuthenticator } from '@shared/auth/jwt-authenticator';
import { SyncCatalog } from '../../application/catalog/sync-catalog';
import { authModule } from '../../composition/auth';
import { awsModule } from '../../composition/aws';
import { catalogModule } from '../../composition/catalog';
import { composeFunction } from '../../composition/compose';
import { platformModule } from '../../composition/platform';
import { createTelemetry } from '../../composition/service';
import { stripeModule } from '../../composition/stripe';

const NEEDS = ['PRODUCTS_TABLE', 'PRICES_TABLE', 'AWS_ENDPOINT_URL_DYNAMODB', 'STRIPE_API_URL', 'JWT_JWKS_URL', 'JWT_ISSUER', 'JWT_AUDIENCE'] as const;

export const telemetry = createTelemetry();

/** The catalog function: an administrator brings every local product and price into Stripe. */
export const compose = () =>
  composeFunction(
    NEEDS,
    (config) => [platformModule(config, telemetry), authModule(config), awsModule(config), stripeModule(config), catalogModule(config)],
    (container) => ({ authenticator: container.get(JwtAuthenticator), syncCatalog: container.get(SyncCatalog) }),
  );
