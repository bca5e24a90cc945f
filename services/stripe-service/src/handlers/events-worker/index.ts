import * as v from 'valibot';
import { createSqsFunction, PermanentRecordError } from '@shared/sqs/sqs-function';
import { UnprocessableEventError } from '../../application/webhooks/event-errors';
import { compose, telemetry } from './composition-root';

/** The events queue's maxReceiveCount (resources.json): the delivery after which a failure is dead-lettered. */
export const MAX_RECEIVE_COUNT = 5;

/** The body the webhook ingress (or a replay) puts on the events queue. */
const StripeEventMessageBody = v.object({
  eventId: v.pipe(v.string(), v.regex(/^evt_[A-Za-z0-9_]{1,250}$/)),
  type: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  created: v.pipe(v.number(), v.integer(), v.minValue(0)),
  livemode: v.boolean(),
  payload: v.unknown(),
});

function parseBody(body: string) {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new PermanentRecordError('malformed_message', 'the message body is not JSON');
  }
  const parsed = v.safeParse(StripeEventMessageBody, json);
  if (!parsed.success) throw new PermanentRecordError('malformed_message', `not a Stripe event message: ${v.getDotPath(parsed.issues[0]) ?? 'body'}: ${parsed.issues[0].message}`);
  return parsed.output;
}

/** The events worker: each Stripe event from the events queue into our records and the billing events topic. */
export const handler = createSqsFunction({
  telemetry,
  compose,
  maxReceiveCount: MAX_RECEIVE_COUNT,
  handleRecord: async (body, record, { processStripeEvent }) => {
    const message = parseBody(body);
    try {
      const result = await processStripeEvent.execute(message, { lastDelivery: record.receiveCount >= MAX_RECEIVE_COUNT });
      if (result.outcome !== 'processed') telemetry.logger.info('stripe event acknowledged', { eventId: message.eventId, type: message.type, outcome: result.outcome });
    } catch (error) {
      if (error instanceof UnprocessableEventError) throw new PermanentRecordError(error.code, error.message, { cause: error });
      throw error;
    }
  },
});
