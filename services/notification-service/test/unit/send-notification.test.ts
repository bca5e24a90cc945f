import { MailRejectedError, MailUnavailableError, NotificationInProgressError, NotificationNotDeliverableError } from '../../src/application/notifications/notification-errors';
import { SendNotification } from '../../src/application/notifications/send-notification';
import type { NotificationMetrics } from '../../src/application/ports/notification-metrics';
import { InMemoryCustomerContacts } from '../fakes/in-memory-customer-contacts';
import { InMemoryMailer } from '../fakes/in-memory-mailer';
import { InMemoryNotificationLedger } from '../fakes/in-memory-notification-ledger';
import { failureEvent, invoiceEvent, paymentEvent, receiptEvent, refundEvent } from '../support/billing-events';

class CountingMetrics implements NotificationMetrics {
  readonly counts: string[] = [];
  sent(template: string) {
    this.counts.push(`sent:${template}`);
  }
  skipped(reason: string) {
    this.counts.push(`skipped:${reason}`);
  }
  failed(reason: string) {
    this.counts.push(`failed:${reason}`);
  }
}

const LEASE = 90_000;

function setup() {
  const contacts = new InMemoryCustomerContacts();
  contacts.add('user-1', 'jane@example.com');
  const ledger = new InMemoryNotificationLedger();
  const mailer = new InMemoryMailer();
  const metrics = new CountingMetrics();
  const clock = { time: 1_800_000_000_000, now() { return this.time; } };
  let n = 0;
  const ids = { next: () => `token-${++n}` };
  const useCase = new SendNotification(contacts, ledger, mailer, metrics, clock, ids, { from: 'billing@example.com', businessName: 'Acme', claimLeaseMs: LEASE });
  return { contacts, ledger, mailer, metrics, clock, useCase };
}

describe('SendNotification', () => {
  it('sends the receipt to the address on file, from the configured sender, tagged with the event', async () => {
    const { mailer, metrics, useCase } = setup();
    const event = receiptEvent('user-1');
    const result = await useCase.execute(event);
    expect(result).toEqual({ outcome: 'sent', template: 'receipt', messageId: 'mem-1' });
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]).toMatchObject({ to: 'jane@example.com', from: 'billing@example.com', subject: 'Your receipt from Acme: $20.00', tags: { billingEventId: event.id, template: 'receipt' } });
    expect(metrics.counts).toEqual(['sent:receipt']);
    expect(mailer.prepared).toBe(1);
  });

  it('sends one email for an event delivered ten times', async () => {
    const { mailer, metrics, useCase } = setup();
    const event = failureEvent('user-1');
    const results = [];
    for (let i = 0; i < 10; i += 1) results.push(await useCase.execute(event));
    expect(mailer.sent).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'duplicate')).toHaveLength(9);
    expect(metrics.counts.filter((c) => c === 'skipped:duplicate')).toHaveLength(9);
  });

  it('sends one email when the same event arrives on concurrent deliveries; the others are retried', async () => {
    const { mailer, useCase } = setup();
    const event = refundEvent('user-1');
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => useCase.execute(event)));
    expect(mailer.sent).toHaveLength(1);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused).toHaveLength(4);
    for (const r of refused) expect(r.reason).toBeInstanceOf(NotificationInProgressError);
  });

  it('sends different events separately', async () => {
    const { mailer, useCase } = setup();
    await useCase.execute(receiptEvent('user-1'));
    await useCase.execute(receiptEvent('user-1'));
    expect(mailer.sent).toHaveLength(2);
  });

  it('refuses, for good, an event whose customer has no address, claiming nothing', async () => {
    const { contacts, ledger, mailer, metrics, useCase } = setup();
    contacts.add('user-2', undefined);
    const event = receiptEvent('user-2');
    await expect(useCase.execute(event)).rejects.toBeInstanceOf(NotificationNotDeliverableError);
    await expect(useCase.execute(receiptEvent('nobody'))).rejects.toMatchObject({ code: 'no_email_on_file' });
    expect(mailer.sent).toHaveLength(0);
    expect(ledger.entries.size).toBe(0);
    expect(metrics.counts).toEqual(['skipped:no_email', 'skipped:no_email']);
  });

  it('records a permanent rejection, so a redelivery does not send it either', async () => {
    const { mailer, metrics, useCase } = setup();
    const event = receiptEvent('user-1');
    mailer.failNext(new MailRejectedError('SES rejected the message', 'ses_message_rejected'));
    await expect(useCase.execute(event)).rejects.toBeInstanceOf(MailRejectedError);
    expect(await useCase.execute(event)).toEqual({ outcome: 'duplicate', previously: 'rejected' });
    expect(mailer.sent).toHaveLength(0);
    expect(metrics.counts).toEqual(['failed:ses_message_rejected', 'skipped:duplicate']);
  });

  it('frees the claim when the provider is unavailable, so the retry sends at once', async () => {
    const { mailer, useCase } = setup();
    const event = receiptEvent('user-1');
    mailer.failNext(new MailUnavailableError('throttled', 'ses_unavailable'));
    await expect(useCase.execute(event)).rejects.toBeInstanceOf(MailUnavailableError);
    expect((await useCase.execute(event)).outcome).toBe('sent');
    expect(mailer.sent).toHaveLength(1);
  });

  it('errs towards a second copy when a delivery died between sending and marking: after the lease, the redelivery sends', async () => {
    const { ledger, mailer, clock, useCase } = setup();
    const event = receiptEvent('user-1');
    // The first delivery sent, then its mark failed (the process died, or DynamoDB did).
    const markSent = ledger.markSent.bind(ledger);
    ledger.markSent = async () => {
      throw new Error('the function died here');
    };
    await expect(useCase.execute(event)).rejects.toThrow('the function died here');
    ledger.markSent = markSent;
    expect(mailer.sent).toHaveLength(1);
    // A redelivery within the lease waits; the claim may still be live.
    clock.time += LEASE - 1;
    await expect(useCase.execute(event)).rejects.toBeInstanceOf(NotificationInProgressError);
    clock.time += 2;
    expect((await useCase.execute(event)).outcome).toBe('sent');
    expect(mailer.sent).toHaveLength(2);
    expect((await useCase.execute(event)).outcome).toBe('duplicate');
  });

  it('sends nothing for billing events that do not notify', async () => {
    const { mailer, metrics, useCase } = setup();
    for (const type of ['payment.action_required', 'payment.authorized', 'payment.canceled', 'payment.disputed'] as const) {
      expect((await useCase.execute(paymentEvent(type, 'user-1'))).outcome).toBe('skipped');
    }
    expect(await useCase.execute(invoiceEvent('invoice.paid', 'user-1', { billingReason: 'subscription_create' }))).toMatchObject({ outcome: 'skipped' });
    expect(await useCase.execute(invoiceEvent('invoice.paid', 'user-1', { billingReason: undefined }))).toMatchObject({ outcome: 'skipped' });
    expect(mailer.sent).toHaveLength(0);
    // The provider is not even loaded for events that never mail.
    expect(mailer.prepared).toBe(0);
    expect(metrics.counts.every((c) => c === 'skipped:not_notifying')).toBe(true);
  });

  it('announces a renewal: an invoice paid for a subscription cycle', async () => {
    const { mailer, useCase } = setup();
    expect(await useCase.execute(invoiceEvent('invoice.paid', 'user-1'))).toMatchObject({ outcome: 'sent', template: 'subscription-renewed' });
    expect(mailer.sent[0]?.subject).toBe('Your Acme subscription has renewed: €15.00');
  });
});
