import type { StripeChange } from '../../domain/stripe-changes';

/** Turns a Stripe event's payload into what it means for this service. */
export interface EventTranslator {
  /**
   * The change a Stripe event makes, or undefined for a type this service does not handle. A
   * payload of a handled type that lacks what is needed throws MalformedStripeEventError.
   */
  translate(type: string, payload: unknown): StripeChange | undefined;
}

export const EVENT_TRANSLATOR = Symbol.for('EventTranslator');
