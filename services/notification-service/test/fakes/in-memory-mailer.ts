import type { EmailMessage, Mailer, SentEmail } from '../../src/application/ports/mailer';
import { MailRejectedError } from '../../src/application/notifications/notification-errors';

/** Keeps what was sent; refuses what is not an address, as SES does. `failNext` makes the next send throw. */
export class InMemoryMailer implements Mailer {
  readonly sent: (EmailMessage & { messageId: string })[] = [];
  /** How often a send was announced. */
  prepared = 0;
  private failures: Error[] = [];

  prepare(): void {
    this.prepared += 1;
  }

  failNext(error: Error): void {
    this.failures.push(error);
  }

  async send(message: EmailMessage): Promise<SentEmail> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    for (const address of [message.from, message.to]) {
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address)) throw new MailRejectedError(`not an email address: ${address}`, 'invalid_address');
    }
    const messageId = `mem-${this.sent.length + 1}`;
    this.sent.push({ ...message, messageId });
    return { messageId };
  }
}
