import type { NotificationKind } from '../domain/notification';
import type { MessageTemplate } from '../domain/template';
import { invoicePaymentFailed } from './invoice-payment-failed';
import { layout } from './layout';
import { paymentFailed } from './payment-failed';
import { receipt } from './receipt';
import { refund } from './refund';
import { refundFailed } from './refund-failed';
import { subscriptionEnded } from './subscription-ended';
import { subscriptionRenewed } from './subscription-renewed';

/** Every message the worker can send, by the notification kind that selects it. */
export const TEMPLATES: Readonly<Record<NotificationKind, MessageTemplate>> = {
  receipt,
  payment_failed: paymentFailed,
  refund,
  refund_failed: refundFailed,
  invoice_payment_failed: invoicePaymentFailed,
  subscription_renewed: subscriptionRenewed,
  subscription_ended: subscriptionEnded,
};

export { layout };
