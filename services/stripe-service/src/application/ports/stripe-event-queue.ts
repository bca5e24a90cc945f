/** A verified Stripe event on its way from the webhook ingress (or a replay) to the events worker. */
export interface StripeEventMessage {
  eventId: string;
  type: string;
  /** Stripe's `created`, epoch seconds (one-second resolution: ties happen). */
  created: number;
  livemode: boolean;
  /** The event exactly as Stripe sent it, parsed from the verified body. */
  payload: unknown;
}

/** The events queue (SQS, with a dead-letter queue after maxReceiveCount). */
export interface StripeEventQueue {
  enqueue(message: StripeEventMessage): Promise<void>;
}

export const STRIPE_EVENT_QUEUE = Symbol.for('StripeEventQueue');
