import { Container } from 'inversify';
import { SendNotification } from '../../application/notifications/send-notification';
import { mailModule } from '../../composition/mail';
import { notificationsModule } from '../../composition/notifications';
import { platformModule } from '../../composition/platform';
import { createTelemetry } from '../../composition/service';
import { storageModule } from '../../composition/storage';
import { loadNotificationConfig } from '../../config';

export const telemetry = createTelemetry();

/** The function's timeout in resources.json is 30 s; a claim outlives any live attempt by a margin. */
const CLAIM_LEASE_MS = 90_000;

/** The notification worker: the customers table (read), its ledger, a mailer. No Stripe, no secrets. */
export const compose = async () => {
  const config = loadNotificationConfig();
  const container = new Container({ defaultScope: 'Singleton' });
  container.load(platformModule(telemetry), storageModule(config), mailModule(config), notificationsModule(config, CLAIM_LEASE_MS));
  return { sendNotification: container.get(SendNotification), logger: telemetry.logger };
};
