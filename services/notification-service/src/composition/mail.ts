import { ContainerModule } from 'inversify';
import { MAILER, type Mailer } from '../application/ports/mailer';
import { createSesClient } from '../adapters/aws/clients';
import { OutboxMailer } from '../adapters/outbox/outbox-mailer';
import { SesMailer } from '../adapters/ses/ses-mailer';
import type { NotificationConfig } from '../config';

/** The mail provider the configuration names: SES in AWS, the outbox folder on the local stack. */
export const mailModule = (config: Pick<NotificationConfig, 'AWS_REGION' | 'AWS_ENDPOINT_URL_SESV2' | 'MAILER' | 'MAIL_OUTBOX_DIR' | 'SES_CONFIGURATION_SET'>) =>
  new ContainerModule(({ bind }) => {
    bind<Mailer>(MAILER).toDynamicValue(() =>
      config.MAILER === 'outbox' && config.MAIL_OUTBOX_DIR
        ? new OutboxMailer(config.MAIL_OUTBOX_DIR)
        : new SesMailer(createSesClient(config), config.SES_CONFIGURATION_SET),
    );
  });
