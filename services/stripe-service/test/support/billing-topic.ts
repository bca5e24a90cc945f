// A queue subscribed to a billing events topic, as an entitlement service would subscribe one, and
// what it receives: the event (raw delivery) and its message attributes.
import { randomUUID } from 'node:crypto';
import { SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { parseBillingEvent, type BillingEvent } from '@shared/events/billing-event';

export interface ReceivedBillingEvent {
  event: BillingEvent;
  attributes: Record<string, string>;
}

export async function subscribeQueue(sns: SNSClient, sqs: SQSClient, topicArn: string, options: { filterPolicy?: Record<string, string[]> } = {}): Promise<string> {
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: `billing-listener-${randomUUID().slice(0, 8)}` }))).QueueUrl!;
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: arn,
      Attributes: { RawMessageDelivery: 'true', ...(options.filterPolicy ? { FilterPolicy: JSON.stringify(options.filterPolicy) } : {}) },
    }),
  );
  return url;
}

/**
 * Receives (and deletes) billing events until `until` says enough arrived or `timeoutMs` passed,
 * then keeps listening `settleMs` longer so an unexpected extra one is seen too.
 */
export async function receiveBillingEvents(
  sqs: SQSClient,
  url: string,
  options: { until: (received: ReceivedBillingEvent[]) => boolean; timeoutMs?: number; settleMs?: number },
): Promise<ReceivedBillingEvent[]> {
  const received: ReceivedBillingEvent[] = [];
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  let settleUntil: number | undefined;
  while (Date.now() < (settleUntil ?? deadline)) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }));
    for (const m of Messages) {
      const parsed = parseBillingEvent(m.Body ?? '');
      if (!parsed.ok) throw new Error(`not a billing event (${parsed.reason}): ${(m.Body ?? '').slice(0, 200)}`);
      received.push({ event: parsed.event, attributes: Object.fromEntries(Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? ''])) });
    }
    if (Messages.length > 0) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
    if (settleUntil === undefined && options.until(received)) settleUntil = Date.now() + (options.settleMs ?? 0);
  }
  return received;
}
