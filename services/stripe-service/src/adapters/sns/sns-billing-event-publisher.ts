import type { SNSClient } from '@aws-sdk/client-sns';
import type { BillingEvent } from '@shared/events/billing-event';
import { CoalescedPublish } from '@shared/sns/coalesced-publish';
import type { BillingEventPublisher } from '../../application/ports/billing-event-publisher';

/**
 * Billing events on an SNS topic: the body is the event's JSON (subscriptions use raw delivery);
 * `type` and `userId` also travel as message attributes, for subscription filter policies. Events
 * published together (the records of a worker's batch) share PublishBatch requests, each event
 * answered by its own entry.
 */
export class SnsBillingEventPublisher implements BillingEventPublisher {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(event: BillingEvent): Promise<void> {
    await CoalescedPublish.for(this.client).publish(this.topicArn, {
      Message: JSON.stringify(event),
      MessageAttributes: {
        type: { DataType: 'String', StringValue: event.type },
        userId: { DataType: 'String', StringValue: event.userId },
      },
    });
  }
}
