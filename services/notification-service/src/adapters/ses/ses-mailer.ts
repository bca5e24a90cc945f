import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { EmailMessage, Mailer, SentEmail } from '../../application/ports/mailer';
import { MailRejectedError, MailUnavailableError } from '../../application/notifications/notification-errors';

/** Faults of our own set-up (identity, configuration set, account): retried, so they reach the DLQ and can be redriven once fixed. */
const MISCONFIGURED = new Set(['MailFromDomainNotVerifiedException', 'NotFoundException', 'AccountSuspendedException', 'SendingPausedException']);

/** SES tag values allow letters, digits, '_', '-', '.', '@' only. */
function tagValue(value: string): string {
  return value.replace(/[^A-Za-z0-9_\-.@]/g, '_').slice(0, 256) || '_';
}

/** Amazon SES (API v2): one SendEmail per message, simple content with text and HTML parts. */
export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESv2Client,
    private readonly configurationSet: string | undefined,
  ) {}

  async send(message: EmailMessage): Promise<SentEmail> {
    try {
      const result = await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: message.from,
          Destination: { ToAddresses: [message.to] },
          Content: {
            Simple: {
              Subject: { Data: message.subject, Charset: 'UTF-8' },
              Body: { Text: { Data: message.text, Charset: 'UTF-8' }, Html: { Data: message.html, Charset: 'UTF-8' } },
            },
          },
          ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
          EmailTags: [
            { Name: 'billing_event', Value: tagValue(message.tags.billingEventId) },
            { Name: 'template', Value: tagValue(message.tags.template) },
          ],
        }),
      );
      if (!result.MessageId) throw new MailUnavailableError('SES accepted the message without an id');
      return { messageId: result.MessageId };
    } catch (error) {
      throw classify(error);
    }
  }
}

function classify(error: unknown): Error {
  if (error instanceof MailUnavailableError) return error;
  const name = error instanceof Error ? error.name : '';
  const text = error instanceof Error ? error.message : String(error);
  // SES answers MessageRejected both for a message it will never send and for an unverified
  // identity (sandbox or set-up): only the first is the message's fault.
  if (name === 'MessageRejected' && !/not verified/i.test(text)) return new MailRejectedError(`SES rejected the message: ${text}`, 'ses_message_rejected', { cause: error });
  // SES v2 says BadRequestException for an address it cannot parse; the Query-protocol emulators say InvalidParameterValue.
  if (name === 'BadRequestException' || name === 'InvalidParameterValue') return new MailRejectedError(`SES refused the request: ${text}`, 'ses_bad_request', { cause: error });
  if (name === 'MessageRejected' || MISCONFIGURED.has(name)) return new MailUnavailableError(`SES cannot send for this account: ${name}: ${text}`, 'ses_misconfigured', { cause: error });
  return new MailUnavailableError(`SES did not accept the message: ${name || 'error'}: ${text}`, 'ses_unavailable', { cause: error, retryAfterSeconds: 30 });
}
