/** One email, ready to send: both bodies rendered, addresses checked. */
export interface EmailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Names of the billing event and template, for the provider's tags and the outbox's headers. */
  tags: { billingEventId: string; template: string };
}

export interface SentEmail {
  /** The provider's id of the accepted message. */
  messageId: string;
}

/**
 * Sends email. Throws MailRejectedError when the provider refuses this message for good (a retry
 * would be refused again) and MailUnavailableError when it may be accepted later (throttling,
 * quota, outage, timeout).
 */
export interface Mailer {
  /** Hands one message to the provider; resolves once the provider has accepted it. */
  send(message: EmailMessage): Promise<SentEmail>;
  /** Optional: gets ready for a send that is about to come (loads what the first send needs), so that work overlaps the lookups before it. */
  prepare?(): void;
}

export const MAILER = Symbol.for('Mailer');
