/** Counts of what the worker did with each billing event; dead-lettered records are counted by the SQS driver. */
export interface NotificationMetrics {
  /** A message was accepted by the provider. */
  sent(template: string): void;
  /** Nothing was sent, on purpose: a type or case that does not notify, no address, a duplicate. */
  skipped(reason: string): void;
  /** The provider refused the message for good. */
  failed(reason: string): void;
}

export const NOTIFICATION_METRICS = Symbol.for('NotificationMetrics');
