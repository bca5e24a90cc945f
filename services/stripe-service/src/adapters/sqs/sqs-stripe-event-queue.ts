import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { StripeEventMessage, StripeEventQueue } from '../../application/ports/stripe-event-queue';

/**
 * The events queue on SQS: the message body is the JSON of the message; the event's type and id
 * also travel as message attributes, so an operator can see what a dead letter is without parsing it.
 */
export class SqsStripeEventQueue implements StripeEventQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(message: StripeEventMessage): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(message),
        MessageAttributes: {
          eventType: { DataType: 'String', StringValue: message.type },
          eventId: { DataType: 'String', StringValue: message.eventId },
        },
      }),
    );
  }
}
