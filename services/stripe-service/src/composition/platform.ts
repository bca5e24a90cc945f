import { ContainerModule } from 'inversify';
import { SECRET_PROVIDER, type SecretProvider } from '@shared/secrets/secret-provider';
import type { Telemetry } from '@shared/observability/telemetry';
import { CLOCK, type Clock } from '../application/ports/clock';
import { PAYMENT_METRICS, type PaymentMetrics } from '../application/ports/payment-metrics';
import { createSecretProvider } from '../adapters/secrets/secret-provider-factory';
import { SystemClock } from '../adapters/system/system-clock';
import { EmfPaymentMetrics } from '../adapters/telemetry/emf-payment-metrics';
import type { Config } from '../config';

// One module per concern, one file each so a function's bundle carries only the SDKs of the
// modules it loads. Each takes the slice of config it reads, so a composition root that forgets a
// variable a module needs fails to compile. Bindings are resolved on first use.

/** Clock, secrets, metrics. */
export const platformModule = (config: Config<never>, telemetry: Telemetry) =>
  new ContainerModule(({ bind }) => {
    bind<Clock>(CLOCK).toConstantValue(new SystemClock());
    bind<PaymentMetrics>(PAYMENT_METRICS).toConstantValue(new EmfPaymentMetrics(telemetry.metrics));
    bind<SecretProvider>(SECRET_PROVIDER).toDynamicValue(() => createSecretProvider(config));
  });

