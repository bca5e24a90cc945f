import { createHttpFunction } from '@shared/http/http-function';
import { PROBLEM_TYPE_PREFIX } from '../../composition/service';
import { compose, telemetry } from './composition-root';

/**
 * SQS accepts at most 256 KiB per message and the message carries the event re-serialised
 * (never longer than the body Stripe sent) plus a small envelope; Stripe's events are far smaller.
 */
export const MAX_WEBHOOK_BODY_BYTES = 240 * 1024;

/**
 * POST /stripe/webhook: Stripe's deliveries, authenticated by the Stripe-Signature header. 200 once
 * the event is safely on the events queue (or was before); 400 for what Stripe must not retry.
 */
export const handler = createHttpFunction({
  telemetry,
  problemTypePrefix: PROBLEM_TYPE_PREFIX,
  compose,
  maxBodyBytes: MAX_WEBHOOK_BODY_BYTES,
  routes: {
    'POST /stripe/webhook': {
      auth: 'none',
      handle: async (request, { receiveStripeEvent }) => {
        const result = await receiveStripeEvent.execute({ rawBody: request.rawBody, signatureHeader: request.headers['stripe-signature'] });
        telemetry.logger.info('stripe event', { eventId: result.eventId, outcome: result.outcome });
        return { status: 200, body: result.outcome === 'ignored' ? { received: true, ignored: result.reason } : { received: true } };
      },
    },
  },
});
