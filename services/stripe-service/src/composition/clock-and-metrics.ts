import { ContainerModule } from 'inversify';
import type { Telemetry } from '@shared/observability/telemetry';
import { CLOCK, type Clock } from '../application/ports/clock';
import { PAYMENT_METRICS, type PaymentMetrics } from '../application/ports/payment-metrics';
import { SystemClock } from '../adapters/system/system-clock';
import { EmfPaymentMetrics } from '../adapters/telemetry/emf-payment-metrics';

/**
 * Clock and metrics without the secret store: for a function that reads no secret (the events
 * worker), so its bundle carries no Secrets Manager client. Functions that read secrets load
 * platformModule instead, which binds the same two and the secret provider.
 */
export const clockAndMetricsModule = (telemetry: Telemetry) =>
  new ContainerModule(({ bind }) => {
    bind<Clock>(CLOCK).toConstantValue(new SystemClock());
    bind<PaymentMetrics>(PAYMENT_METRICS).toConstantValue(new EmfPaymentMetrics(telemetry.metrics));
  });
