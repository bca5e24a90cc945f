import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { redact, type RedactionPattern } from './redaction';

export { MetricUnit };

export interface Telemetry {
  logger: Logger;
  metrics: Metrics;
}

const SENSITIVE_KEYS = ['authorization', 'cookie', 'set-cookie', 'password', 'secret', 'client_secret', 'clientsecret', 'token'];

export interface LoggerOptions {
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  /** Secret shapes the service knows (its providers' key formats), redacted even when never registered. */
  redactPatterns?: readonly RedactionPattern[];
  /** Keys whose values are never logged, beyond the usual ones (e.g. a provider's signature header). */
  sensitiveKeys?: readonly string[];
}

/**
 * One structured JSON logger per function. Values under sensitive keys are dropped and every
 * string is passed through the secret redactor before it is serialized.
 */
export function createLogger(serviceName: string, options: LoggerOptions = {}): Logger {
  const patterns = options.redactPatterns ?? [];
  const sensitive = new Set([...SENSITIVE_KEYS, ...(options.sensitiveKeys ?? [])].map((key) => key.toLowerCase()));
  return new Logger({
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? serviceName,
    ...(options.logLevel ? { logLevel: options.logLevel } : {}),
    jsonReplacerFn: (key: string, value: unknown) => {
      if (sensitive.has(key.toLowerCase())) return '[REDACTED]';
      if (typeof value === 'string') return redact(value, patterns);
      return value;
    },
  });
}

/** CloudWatch EMF metrics; POWERTOOLS_METRICS_NAMESPACE, when set, overrides the service's namespace. */
export function createMetrics(serviceName: string, namespace: string): Metrics {
  return new Metrics({
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? namespace,
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? serviceName,
  });
}
