import { ContainerModule } from 'inversify';
import type { Telemetry } from '@shared/observability/telemetry';
import { CLOCK, type Clock } from '../application/ports/clock';
import { ID_GENERATOR, type IdGenerator } from '../application/ports/id-generator';
import { NOTIFICATION_METRICS, type NotificationMetrics } from '../application/ports/notification-metrics';
import { RandomIdGenerator, SystemClock } from '../adapters/system/system-clock';
import { EmfNotificationMetrics } from '../adapters/telemetry/emf-notification-metrics';

/** Clock, ids, metrics. */
export const platformModule = (telemetry: Telemetry) =>
  new ContainerModule(({ bind }) => {
    bind<Clock>(CLOCK).toConstantValue(new SystemClock());
    bind<IdGenerator>(ID_GENERATOR).toConstantValue(new RandomIdGenerator());
    bind<NotificationMetrics>(NOTIFICATION_METRICS).toConstantValue(new EmfNotificationMetrics(telemetry.metrics));
  });
