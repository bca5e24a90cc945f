import { ContainerModule } from 'inversify';
import { SECRET_PROVIDER, type SecretProvider } from '@shared/secrets/secret-provider';
import { PAYMENT_METRICS, type PaymentMetrics } from '../application/ports/payment-metrics';
import { StripeCaller } from '../adapters/stripe/stripe-call';
import { createStripeClient } from '../adapters/stripe/stripe-client';
import { secretId, type Config } from '../config';

export const STRIPE = Symbol.for('StripeCaller');

/** The Stripe SDK, built on first use with the key read from the secret store. */
export const stripeModule = (config: Config<'STRIPE_API_URL'>) =>
  new ContainerModule(({ bind }) => {
    bind(STRIPE).toResolvedValue(
      (secrets: SecretProvider, metrics: PaymentMetrics) =>
        new StripeCaller(
          (apiKey) => createStripeClient({ apiKey, apiUrl: config.STRIPE_API_URL }),
          () => secrets.getSecret(secretId(config, 'stripe-secret-key')),
          (durationMs, ok) => metrics.stripeCall(durationMs, ok),
        ),
      [SECRET_PROVIDER, PAYMENT_METRICS],
    );
  });
