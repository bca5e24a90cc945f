import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { redact } from './redaction';

export { MetricUnit };

const SENSITIVE_KEYS = /^(authorization|cookie|set-cookie|stripe-signature|password|secret|client_secret|clientSecret|token)$/i;

/**
 * One structured JSON logger per function. Values under sensitive keys are dropped and every
 * string is passed through the secret redactor before it is serialized.
 */
export function createLogger(serviceName: string, options: { logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT' } = {}): Logger {
  return new Logger({
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? serviceName,
    ...(options.logLevel ? { logLevel: options.logLevel } : {}),
    jsonReplacerFn: (key: string, value: unknown) => {
      if (SENSITIVE_KEYS.test(key)) return '[REDACTED]';
      if (typeof value === 'string') return redact(value);
      return value;
    },
  });
}

/** CloudWatch EMF metrics; the namespace comes from POWERTOOLS_METRICS_NAMESPACE. */
export function createMetrics(serviceName: string): Metrics {
  return new Metrics({
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'StripeService',
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? serviceName,
  });
}
