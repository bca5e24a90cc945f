import * as v from 'valibot';
import type { StripeEventParse, StripeEventParser } from '../../application/ports/stripe-event-parser';

/**
 * Only what the ingress relies on is checked; every other field is Stripe's to add or change
 * between API versions, so the object stays loose and is passed on as sent.
 */
const StripeEventSchema = v.looseObject({
  id: v.pipe(v.string(), v.regex(/^evt_[A-Za-z0-9_]{1,250}$/)),
  object: v.literal('event'),
  type: v.pipe(v.string(), v.regex(/^[a-z0-9_.]{1,200}$/)),
  created: v.pipe(v.number(), v.integer(), v.minValue(0)),
  livemode: v.boolean(),
  data: v.looseObject({ object: v.looseObject({}) }),
});

/** Stripe's event JSON, validated with valibot. */
export class ValibotStripeEventParser implements StripeEventParser {
  parse(rawBody: Buffer): StripeEventParse {
    let json: unknown;
    try {
      json = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return { ok: false, problem: 'not_json' };
    }
    const result = v.safeParse(StripeEventSchema, json);
    if (!result.success) return { ok: false, problem: 'not_an_event' };
    const { id, type, created, livemode } = result.output;
    return { ok: true, event: { id, type, created, livemode, payload: json } };
  }
}
