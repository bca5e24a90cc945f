/** The fields of a Stripe event the ingress needs; the rest travels untouched. */
export interface StripeEventEnvelope {
  id: string;
  type: string;
  /** Epoch seconds. */
  created: number;
  livemode: boolean;
  /** The whole event as parsed from the body. */
  payload: unknown;
}

export type StripeEventParse = { ok: true; event: StripeEventEnvelope } | { ok: false; problem: 'not_json' | 'not_an_event' };

/** Reads a verified webhook body as a Stripe event. */
export interface StripeEventParser {
  parse(rawBody: Buffer): StripeEventParse;
}

export const STRIPE_EVENT_PARSER = Symbol.for('StripeEventParser');
