import { createLogger, createMetrics, type Telemetry } from '@shared/observability/telemetry';

export const SERVICE_NAME = 'notification-service';
export const METRICS_NAMESPACE = 'NotificationService';

/** One logger and one metrics emitter per function, created at module load so the cold start is recorded. */
export function createTelemetry(): Telemetry {
  // Email addresses are personal data: never logged, whatever field carries them.
  return { logger: createLogger(SERVICE_NAME, { sensitiveKeys: ['email', 'to'] }), metrics: createMetrics(SERVICE_NAME, METRICS_NAMESPACE) };
}
