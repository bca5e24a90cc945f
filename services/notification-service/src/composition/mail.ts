import { ContainerModule } from 'inversify';
import { MAILER, type EmailMessage, type Mailer, type SentEmail } from '../application/ports/mailer';
import { OutboxMailer } from '../adapters/outbox/outbox-mailer';
import type { NotificationConfig } from '../config';

/**
 * The SES client and adapter are imported for the first event that calls for a message: a cold start
 * evaluates them only then (not for an event that does not notify), while the address lookup and
 * the claim are in flight; the local stack's outbox never loads them.
 */
class SesOnFirstUse implements Mailer {
  private mailer: Promise<Mailer> | undefined;

  constructor(private readonly config: Pick<NotificationConfig, 'AWS_REGION' | 'AWS_ENDPOINT_URL_SESV2' | 'SES_CONFIGURATION_SET'>) {}

  prepare(): void {
    // A failed load is retried by the next send, not reported here.
    this.load().catch(() => {
      this.mailer = undefined;
    });
  }

  async send(message: EmailMessage): Promise<SentEmail> {
    return (await this.load()).send(message);
  }

  private load(): Promise<Mailer> {
    this.mailer ??= Promise.all([import('../adapters/ses/ses-client'), import('../adapters/ses/ses-mailer')]).then(
      ([{ createSesClient }, { SesMailer }]) => new SesMailer(createSesClient(this.config), this.config.SES_CONFIGURATION_SET),
    );
    return this.mailer;
  }
}

/** The mail provider the configuration names: SES in AWS, the outbox folder on the local stack. */
export const mailModule = (config: Pick<NotificationConfig, 'AWS_REGION' | 'AWS_ENDPOINT_URL_SESV2' | 'MAILER' | 'MAIL_OUTBOX_DIR' | 'SES_CONFIGURATION_SET'>) =>
  new ContainerModule(({ bind }) => {
    bind<Mailer>(MAILER).toDynamicValue(() =>
      config.MAILER === 'outbox' && config.MAIL_OUTBOX_DIR ? new OutboxMailer(config.MAIL_OUTBOX_DIR) : new SesOnFirstUse(config),
    );
  });
