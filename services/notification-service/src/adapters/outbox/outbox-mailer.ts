import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmailMessage, Mailer, SentEmail } from '../../application/ports/mailer';
import { MailRejectedError, MailUnavailableError } from '../../application/notifications/notification-errors';
import { toEml } from './eml';

/** What SES would refuse outright as an address; the outbox refuses the same, so the dev stack shows the same outcome. */
const ADDRESS = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/;

/**
 * The local stack's mail provider: each message becomes one .eml file in a folder (`.data/outbox/`),
 * named so that a listing sorts oldest first. Written to a temporary name and renamed, so a reader
 * never sees half a message.
 */
export class OutboxMailer implements Mailer {
  constructor(
    private readonly dir: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async send(message: EmailMessage): Promise<SentEmail> {
    for (const address of [message.from, message.to]) {
      if (!ADDRESS.test(address)) throw new MailRejectedError(`not an email address: ${JSON.stringify(address)}`, 'invalid_address');
    }
    const date = this.now();
    const messageId = `${randomUUID()}@outbox.local`;
    const name = `${date.toISOString().replace(/[:.]/g, '-')}-${messageId.slice(0, 8)}.eml`;
    try {
      await mkdir(this.dir, { recursive: true });
      const temporary = join(this.dir, `.${name}.tmp`);
      await writeFile(temporary, toEml(message, messageId, date));
      await rename(temporary, join(this.dir, name));
    } catch (error) {
      throw new MailUnavailableError(`the outbox ${this.dir} is not writable`, 'outbox_unavailable', { cause: error });
    }
    return { messageId };
  }
}
