import type { BillingEvent } from '@shared/events/billing-event';
import { planNotification } from '../../domain/notification';
import { renderMessage } from '../../domain/template';
import { layout, TEMPLATES } from '../../templates/index';
import type { Clock } from '../ports/clock';
import type { CustomerContacts } from '../ports/customer-contacts';
import type { IdGenerator } from '../ports/id-generator';
import type { Mailer } from '../ports/mailer';
import type { NotificationLedger } from '../ports/notification-ledger';
import type { NotificationMetrics } from '../ports/notification-metrics';
import { MailRejectedError, NotificationInProgressError, NotificationNotDeliverableError } from './notification-errors';

export interface SendNotificationSettings {
  from: string;
  businessName: string;
  /**
   * How long a claim holds before another delivery may take the event over. Longer than the
   * function's timeout, so a live delivery is never doubled; a delivery that died is taken over
   * by the redelivery after the queue's visibility timeout.
   */
  claimLeaseMs: number;
}

export type SendNotificationResult =
  | { outcome: 'sent'; template: string; messageId: string }
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'duplicate'; previously: 'sent' | 'rejected' };

/**
 * SendNotification: at most one email per billing event id, however often the event is delivered.
 *
 * The claim is a conditional write taken before sending and the mark a write after it. SES takes no
 * idempotency key, so a crash (or a failed mark) between SES accepting the message and the mark
 * leaves a claim with no outcome; once its lease runs out, the redelivery sends again. The window
 * errs towards a second copy, never towards a lost message: a customer who is not told that a
 * payment failed cannot fix it, while a duplicate receipt costs nothing. The window is one
 * DynamoDB write wide; everything that can fail before SES answers (lookup, claim, rendering)
 * happens before the send.
 */
export class SendNotification {
  constructor(
    private readonly contacts: CustomerContacts,
    private readonly ledger: NotificationLedger,
    private readonly mailer: Mailer,
    private readonly metrics: NotificationMetrics,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly settings: SendNotificationSettings,
  ) {}

  async execute(event: BillingEvent): Promise<SendNotificationResult> {
    const plan = planNotification(event);
    if (!plan.send) {
      this.metrics.skipped('not_notifying');
      return { outcome: 'skipped', reason: plan.reason };
    }
    this.mailer.prepare?.();
    // Rendering first: a template that cannot render fails before anything is claimed.
    const rendered = renderMessage(TEMPLATES[plan.kind], layout, { ...plan.values, businessName: this.settings.businessName });

    const to = await this.contacts.emailOf(event.userId);
    if (!to) {
      this.metrics.skipped('no_email');
      throw new NotificationNotDeliverableError('no_email_on_file', `customer ${event.userId} has no email address on file`);
    }

    const token = this.ids.next();
    const claim = await this.ledger.claim(event.id, this.clock.now(), this.settings.claimLeaseMs, token);
    if (claim.outcome === 'sent' || claim.outcome === 'rejected') {
      this.metrics.skipped('duplicate');
      return { outcome: 'duplicate', previously: claim.outcome };
    }
    if (claim.outcome === 'in_progress') {
      throw new NotificationInProgressError(event.id, Math.max(1, Math.ceil((claim.leaseExpiresAt - this.clock.now()) / 1000)));
    }

    let messageId: string;
    try {
      ({ messageId } = await this.mailer.send({
        from: this.settings.from,
        to,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        tags: { billingEventId: event.id, template: rendered.templateId },
      }));
    } catch (error) {
      if (error instanceof MailRejectedError) {
        await this.ledger.markRejected(event.id, token, { reason: error.code, now: this.clock.now() });
        this.metrics.failed(error.code);
        throw error;
      }
      // SES did not take it (or we cannot know): free the claim so the retry sends at once.
      await this.ledger.release(event.id, token).catch(() => undefined);
      throw error;
    }
    await this.ledger.markSent(event.id, token, { messageId, template: rendered.templateId, now: this.clock.now() });
    this.metrics.sent(rendered.templateId);
    return { outcome: 'sent', template: rendered.templateId, messageId };
  }
}
