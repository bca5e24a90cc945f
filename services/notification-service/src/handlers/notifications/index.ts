import { parseBillingEvent } from '@shared/events/billing-event';
import { PermanentRecordError, createSqsFunction } from '@shared/sqs/sqs-function';
import { MailRejectedError, NotificationNotDeliverableError } from '../../application/notifications/notification-errors';
import { compose, telemetry } from './composition-root';

/** Fed by the notifications queue (billing events, raw SNS delivery); the queue's maxReceiveCount in resources.json. */
const MAX_RECEIVE_COUNT = 5;

export const handler = createSqsFunction({
  telemetry,
  compose,
  maxReceiveCount: MAX_RECEIVE_COUNT,
  handleRecord: async (body, record, { sendNotification, logger }) => {
    const parsed = parseBillingEvent(body);
    if (!parsed.ok) throw new PermanentRecordError('malformed_billing_event', parsed.reason);
    const { event } = parsed;
    try {
      const result = await sendNotification.execute(event);
      logger.info('notification', { billingEventId: event.id, type: event.type, sqsMessageId: record.messageId, ...result });
    } catch (error) {
      if (error instanceof MailRejectedError || error instanceof NotificationNotDeliverableError) {
        throw new PermanentRecordError(error.code, `${event.id}: ${error.message}`, { cause: error });
      }
      throw error;
    }
  },
});
