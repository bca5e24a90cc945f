import { createLogger, createMetrics, type Telemetry } from '@shared/observability/telemetry';
import type { RedactionPattern } from '@shared/observability/redaction';

/** The names this service is known by in logs, metrics and problem documents. */
export const SERVICE_NAME = 'stripe-service';
export const METRICS_NAMESPACE = 'StripeService';
export const PROBLEM_TYPE_PREFIX = 'urn:problem-type:stripe-service:';

/** Stripe keys and webhook secrets have recognisable prefixes; they are redacted even when never registered. */
export const STRIPE_REDACTIONS: readonly RedactionPattern[] = [
  { pattern: /\b(sk|rk)_(test|live)_[A-Za-z0-9_]{6,}/g, replacement: '$1_$2_[REDACTED]' },
  { pattern: /\bwhsec_[A-Za-z0-9+/=_-]{6,}/g, replacement: 'whsec_[REDACTED]' },
];

/** One logger and one metrics emitter per function, created at module load so the cold start is recorded. */
export function createTelemetry(): Telemetry {
  return {
    logger: createLogger(SERVICE_NAME, { redactPatterns: STRIPE_REDACTIONS, sensitiveKeys: ['stripe-signature'] }),
    metrics: createMetrics(SERVICE_NAME, METRICS_NAMESPACE),
  };
}
