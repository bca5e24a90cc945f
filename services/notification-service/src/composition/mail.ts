import { ContainerModule } from 'inversify';
import { MAILER, type EmailMessage, type Mailer, type SentEmail } from '../application/ports/mailer';
import { OutboxMailer } from '../adapters/outbox/outbox-mailer';
import type { NotificationConfig } from '../config';

/**
 * The SES client and adapter are imported on the first send: a cold start evaluates them only when
 * there is a message to send (not for a duplicate, an event that does not notify, or no address),
 * and the local stack's outbox never loads them.
 */
class SesOnFirstUse implements Mailer {
  private mailer: Promise<Mailer> | undefined;

  constructor(private readonly config: Pick<NotificationConfig, 'AWS_REGION' | 'AWS_ENDPOINT_URL_SESV2' | 'SES_CONFIGURATION_SET'>) {}

  async send(message: EmailMessage): Promise<SentEmail> {
    this.mailer ??= Promise.all([import('../adapters/ses/ses-client'), import('../adapters/ses/ses-mailer')]).then(
      ([{ createSesClient }, { SesMailer }]) => new SesMailer(createSesClient(this.config), this.config.SES_CONFIGURATION_SET),
    );
    return (await this.mailer).send(message);
  }
}

/** The mail provider the configuration names: SES in AWS, the outbox folder on the local stack. */
export const mailModule = (config: Pick<NotificationConfig, 'AWS_REGION' | 'AWS_ENDPOINT_URL_SESV2' | 'MAILER' | 'MAIL_OUTBOX_DIR' | 'SES_CONFIGURATION_SET'>) =>
  new ContainerModule(({ bind }) => {
    bind<Mailer>(MAILER).toDynamicValue(() =>
      config.MAILER === 'outbox' && config.MAIL_OUTBOX_DIR ? new OutboxMailer(config.MAIL_OUTBOX_DIR) : new SesOnFirstUse(config),
    );
  });
