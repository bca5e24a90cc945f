import { DomainError } from '@shared/errors/domain-error';

/** The provider refused this message and would refuse it again: acknowledge, log, count. */
export class MailRejectedError extends DomainError {
  constructor(message: string, code = 'mail_rejected', options: { cause?: unknown } = {}) {
    super('validation', code, message, options);
  }
}

/** The provider could not take the message now (throttled, over quota, down, too slow): retry. */
export class MailUnavailableError extends DomainError {
  constructor(message: string, code = 'mail_unavailable', options: { cause?: unknown; retryAfterSeconds?: number } = {}) {
    super('unavailable', code, message, options);
  }
}

/** Another delivery of the same event holds the claim: retry after its lease. */
export class NotificationInProgressError extends DomainError {
  constructor(eventId: string, retryAfterSeconds: number) {
    super('conflict', 'notification_in_progress', `the notification for ${eventId} is being sent by another delivery`, { retryAfterSeconds });
  }
}

/** Nothing can be sent for this event, now or later (no address on file): acknowledge, log, count. */
export class NotificationNotDeliverableError extends DomainError {
  constructor(code: string, message: string) {
    super('validation', code, message);
  }
}
