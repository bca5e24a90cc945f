import { ContainerModule } from 'inversify';
import { SendNotification } from '../application/notifications/send-notification';
import { CLOCK, type Clock } from '../application/ports/clock';
import { CUSTOMER_CONTACTS, type CustomerContacts } from '../application/ports/customer-contacts';
import { ID_GENERATOR, type IdGenerator } from '../application/ports/id-generator';
import { MAILER, type Mailer } from '../application/ports/mailer';
import { NOTIFICATION_LEDGER, type NotificationLedger } from '../application/ports/notification-ledger';
import { NOTIFICATION_METRICS, type NotificationMetrics } from '../application/ports/notification-metrics';
import type { NotificationConfig } from '../config';

/** The use case. Needs the platform, storage and mail modules. */
export const notificationsModule = (config: Pick<NotificationConfig, 'MAIL_FROM' | 'BUSINESS_NAME'>, claimLeaseMs: number) =>
  new ContainerModule(({ bind }) => {
    bind(SendNotification).toResolvedValue(
      (contacts: CustomerContacts, ledger: NotificationLedger, mailer: Mailer, metrics: NotificationMetrics, clock: Clock, ids: IdGenerator) =>
        new SendNotification(contacts, ledger, mailer, metrics, clock, ids, { from: config.MAIL_FROM, businessName: config.BUSINESS_NAME, claimLeaseMs }),
      [CUSTOMER_CONTACTS, NOTIFICATION_LEDGER, MAILER, NOTIFICATION_METRICS, CLOCK, ID_GENERATOR],
    );
  });
