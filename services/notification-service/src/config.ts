import * as v from 'valibot';
import { ConfigurationError, env, readEnv, type EnvSchema } from '@shared/config/env';

const email: EnvSchema<string> = v.pipe(v.string('required'), v.email('an email address'), v.maxLength(254));

/**
 * Every environment variable the notification worker reads, validated once at cold start. It
 * needs no secret: it reads the customers table, writes its own, and sends mail.
 */
const CATALOGUE = {
  AWS_REGION: env.required(),
  AWS_ENDPOINT_URL_DYNAMODB: env.optionalUrl(),
  AWS_ENDPOINT_URL_SESV2: env.optionalUrl(),
  STRIPE_CUSTOMERS_TABLE: env.name(),
  NOTIFICATIONS_SENT_TABLE: env.name(),
  /** `ses` in AWS; `outbox` writes .eml files for the local stack. */
  MAILER: env.oneOf(['ses', 'outbox'] as const, 'ses'),
  MAIL_OUTBOX_DIR: env.optional(),
  MAIL_FROM: email,
  /** Optional: SES sends without one, but then no event destination sees bounces or complaints. */
  SES_CONFIGURATION_SET: env.optional(),
  /** Shown in every message's footer: the business the customer paid. */
  BUSINESS_NAME: v.pipe(v.string('required'), v.minLength(1), v.maxLength(100)),
};

/** The names of the variables the worker reads. */
export const NOTIFICATION_VARIABLES = Object.keys(CATALOGUE) as (keyof typeof CATALOGUE)[];

export type NotificationConfig = { [K in keyof typeof CATALOGUE]: v.InferOutput<(typeof CATALOGUE)[K]> };

/** Reads and checks the worker's configuration; one ConfigurationError names every problem. */
export function loadNotificationConfig(source: Record<string, string | undefined> = process.env): NotificationConfig {
  const config = readEnv(CATALOGUE, source);
  if (config.MAILER === 'outbox' && !config.MAIL_OUTBOX_DIR) throw new ConfigurationError(['MAIL_OUTBOX_DIR is required when MAILER=outbox']);
  return config;
}
