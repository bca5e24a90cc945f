// The events worker's Lambda handler on the local stack's DynamoDB and queues, invoked with SQS
// batches as the event source mapping sends them, while its SNS endpoint is unreachable: what can
// never succeed is acknowledged, what needs the topic is reported as an item failure for SQS to retry.
import { freePort } from '../../../../scripts/testing/emulators';
import { invoke, loadHandler } from '../../../../scripts/dev-stack/lambda-runtime';
import { loadResources } from '../../../../scripts/lib/resources';
import { toRecord } from '../../../../scripts/dev-stack/sqs-poller';
import { startWorkerStack, type WorkerStack } from '../support/events-worker-stack';
import { chargeRefundedEvent, intentObject, stripeEvent } from '../support/stripe-event-payloads';
import { MAX_RECEIVE_COUNT } from '../../src/handlers/events-worker/index';

let drill: WorkerStack;

beforeAll(async () => {
  drill = await startWorkerStack();
  // Nothing listens there: every publish fails as a dependency that is down.
  process.env.AWS_ENDPOINT_URL_SNS = `http://127.0.0.1:${await freePort()}`;
}, 60_000);
afterAll(async () => drill?.stop());

it('acknowledges malformed messages, unknown types and foreign intents at once, unknown users and payments on the last delivery, and reports a failed publish as an item failure', async () => {
  const userId = 'user-handler';
  await drill.seedCustomer(userId, 'cus_handler');
  const payment = await drill.seedPayment(userId, 'cus_handler', { stripeUpdatedAt: 1_767_225_600 });
  const succeeded = stripeEvent('payment_intent.succeeded', intentObject({ id: payment.stripePaymentIntentId, status: 'succeeded', customer: 'cus_handler', metadata: { userId, paymentId: payment.paymentId } }), { created: 1_767_225_700 });
  const bodies: Record<string, string> = {
    notJson: '{"eventId":',
    notAnEvent: JSON.stringify({ eventId: 'evt_1', type: 'x' }),
    unknownType: JSON.stringify(stripeEvent('customer.tax_id.created', { id: 'txi_1' })),
    unknownPayment: JSON.stringify(stripeEvent('payment_intent.succeeded', intentObject({ id: 'pi_nobody', status: 'succeeded' }))),
    unknownUser: JSON.stringify(stripeEvent('invoice.paid', { id: 'in_1', customer: 'cus_stranger', amount_due: 1, amount_paid: 1, currency: 'usd' })),
    unknownRefundedPayment: JSON.stringify(chargeRefundedEvent({ intentId: 'pi_not_yet', refunded: 100, before: 0 })),
    malformedPayload: JSON.stringify(stripeEvent('charge.refunded', { id: 'ch_1' })),
    needsTheTopic: JSON.stringify(succeeded),
  };
  const fn = loadResources().functions.find((f) => f.id === 'events-worker')!;
  const handler = await loadHandler(fn);
  const batch = (receiveCount: number) =>
    Object.entries(bodies).map(([id, body]) => toRecord({ MessageId: id, ReceiptHandle: id, Body: body, Attributes: { ApproximateReceiveCount: String(receiveCount) } }, drill.stack.queues.stripe_events!.arn, drill.stack.region));
  // An unknown user or a refund's unknown payment may only be early (a new customer the index has
  // not caught up with, the payment's first event still queued): retried until the last delivery.
  const first = await invoke(fn, handler, { Records: batch(1) }, drill.stack.region);
  expect(first).toEqual({ batchItemFailures: ['unknownUser', 'unknownRefundedPayment', 'needsTheTopic'].map((itemIdentifier) => ({ itemIdentifier })) });
  const last = await invoke(fn, handler, { Records: batch(MAX_RECEIVE_COUNT) }, drill.stack.region);
  expect(last).toEqual({ batchItemFailures: [{ itemIdentifier: 'needsTheTopic' }] });
  // The record was written before the publish failed; the event is not marked, so the retry publishes.
  expect(await drill.payments.get(userId, payment.paymentId)).toMatchObject({ status: 'succeeded', lastStripeEventId: succeeded.eventId });
  expect((await drill.events.get(succeeded.eventId))?.status).not.toBe('processed');
  expect((await drill.events.get(JSON.parse(bodies.unknownType!).eventId as string))?.status).toBe('processed');
}, 60_000);
