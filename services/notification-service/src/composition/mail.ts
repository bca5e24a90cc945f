import { ContainerModule } from 'inversify';
import { onFirstUse } from '@shared/lazy/on-first-use';
import { MAILER, type EmailMessage, type Mailer, type SentEmail } from '../application/ports/mailer';
import { OutboxMailer } from '../adapters/outbox/outbox-mailer';
import type { NotificationConfig } from '../config';

/**
 * The SES client and adapter are imported for the first event that calls for a message: a cold start
 * evaluates them only then (not for an event that does not notify), while the address lookup and
 * the claim are in flight; the local stack's outbox never loads them.
 */
class SesOnFirstUse implements Mailer {
  private readonly mailer: () => Promise<Mailer>;

  constructor(config: Pick<NotificationConfig, 'AWS_REGION' | 'AWS_ENDPOINT_URL_SESV2' | 'SES_CONFIGURATION_SET'>) {
    this.mailer = onFirstUse(async () => {
      const [{ createSesClient }, { SesMailer }] = await Promise.all([import('../adapters/ses/ses-client'), import('../adapters/ses/ses-mailer')]);
      return new SesMailer(createSesClient(config), config.SES_CONFIGURATION_SET);
    });
  }

  prepare(): void {
    // A failed load is retried by the next send, not reported here.
    this.mailer().catch(() => undefined);
  }

  async send(message: EmailMessage): Promise<SentEmail> {
    return (await this.mailer()).send(message);
  }
}

/** The mail provider the configuration names: SES in AWS, the outbox folder on the local stack. */
export const mailModule = (config: Pick<NotificationConfig, 'AWS_REGION' | 'AWS_ENDPOINT_URL_SESV2' | 'MAILER' | 'MAIL_OUTBOX_DIR' | 'SES_CONFIGURATION_SET'>) =>
  new ContainerModule(({ bind }) => {
    bind<Mailer>(MAILER).toDynamicValue(() =>
      config.MAILER === 'outbox' && config.MAIL_OUTBOX_DIR ? new OutboxMailer(config.MAIL_OUTBOX_DIR) : new SesOnFirstUse(config),
    );
  });
