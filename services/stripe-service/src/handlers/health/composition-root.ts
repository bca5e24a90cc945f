import { CheckHealth } from '../../application/health/check-health';
import { composeFunction } from '../../composition/compose';
import { healthModule } from '../../composition/health';
import { awsModule } from '../../composition/aws';
import { platformModule } from '../../composition/platform';
import { createTelemetry } from '../../composition/service';

const NEEDS = ['STRIPE_CUSTOMERS_TABLE', 'AWS_ENDPOINT_URL_DYNAMODB', 'STRIPE_API_URL'] as const;

export const telemetry = createTelemetry();

/** The health function checks DynamoDB, the Stripe key's secret and Stripe itself; it loads no Stripe SDK. */
export const compose = () =>
  composeFunction(NEEDS, (config) => [platformModule(config, telemetry), awsModule(config), healthModule(config)], (container) => ({
    checkHealth: container.get(CheckHealth),
  }));
