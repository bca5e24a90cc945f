/** What the events worker counts (CloudWatch EMF in AWS), one call per Stripe event. */
export interface EventMetrics {
  /** Every effect of the event is done; `published` billing events went out for it. */
  processed(stripeEventType: string, published: number): void;
  /** The event was processed before (a redelivery): nothing done again. */
  duplicate(): void;
  /** Something later has been applied already: acknowledged, the record left as it was; `published` billing events still went out for what stays true. */
  outOfOrder(stripeEventType: string, published: number): void;
  /** A type this service does not handle: acknowledged. */
  unknownType(stripeEventType: string): void;
  /** The attempt failed; `permanent` ones are acknowledged, the rest retried. */
  failed(permanent: boolean): void;
}

export const EVENT_METRICS = Symbol.for('EventMetrics');
