import type Stripe from 'stripe';

/**
 * The Stripe event types the events worker acts on: the translator turns each into a change, and
 * the stage's webhook endpoint is registered for exactly these (`npm run setup-stripe-webhook`), so
 * Stripe sends nothing the service would only drop and nothing it acts on goes unsubscribed. A
 * test checks that the translator handles every type here and no other.
 */
export const HANDLED_STRIPE_EVENT_TYPES = [
  'payment_intent.created',
  'payment_intent.processing',
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'payment_intent.requires_action',
  'payment_intent.canceled',
  'payment_intent.amount_capturable_updated',
  'charge.refunded',
  'refund.created',
  'refund.updated',
  'refund.failed',
  'charge.dispute.created',
  'checkout.session.completed',
  'checkout.session.expired',
  'customer.updated',
  'customer.deleted',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'invoice.paid',
  'invoice.payment_failed',
] as const satisfies readonly Stripe.WebhookEndpointCreateParams.EnabledEvent[];

export type HandledStripeEventType = (typeof HANDLED_STRIPE_EVENT_TYPES)[number];
