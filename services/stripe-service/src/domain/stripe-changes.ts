/**
 * What one Stripe event means for this service, in domain terms: the translator in the Stripe
 * adapter layer makes one of these from an event's payload, and the events worker applies it.
 */
import type { CaptureMethod, IntentSnapshot, RefundRecord } from './payment';
import type { CustomerSnapshot } from './customer-events';
import type { SubscriptionSnapshot } from './subscription';

export interface FailureDetails {
  code: string | undefined;
  declineCode: string | undefined;
  message: string | undefined;
}

/** Who an intent belongs to and what it is, beyond its state. */
export interface IntentFacts {
  paymentIntentId: string;
  stripeCustomerId: string | undefined;
  currency: string;
  captureMethod: CaptureMethod;
  description: string | undefined;
  /** Our user and payment when the intent was made through this API (or a checkout it opened). */
  metadata: Record<string, string>;
  /** Epoch seconds at which Stripe created the intent. */
  intentCreated: number | undefined;
}

export type IntentEventKind = 'created' | 'processing' | 'succeeded' | 'payment_failed' | 'requires_action' | 'canceled' | 'amount_capturable_updated';

export type StripeChange =
  | { kind: 'intent'; event: IntentEventKind; intent: IntentFacts; snapshot: IntentSnapshot }
  | {
      kind: 'refund';
      intent: IntentFacts;
      snapshot: IntentSnapshot;
      /**
       * The one refund this event reports (not the charge's running total, which is the snapshot's
       * amountRefunded): its amount when the event says what was refunded before it, its id when the
       * charge lists its refunds (only when expanded); undefined when the event does not tell.
       */
      refund: { refundId: string | undefined; amount: number | undefined };
      /** The charge's refunds when the event lists them (only when expanded), appended to the record by id. */
      refunds: RefundRecord[];
    }
  | {
      /** refund.created: the one place a refund's id reaches the worker since the charge stopped listing them. */
      kind: 'refund_created';
      paymentIntentId: string;
      /** Our user and payment, when the refund was made through this API. */
      metadata: Record<string, string>;
      refund: RefundRecord;
    }
  | {
      /**
       * refund.updated, refund.failed: a refund's new status, above all a refund Stripe accepted and
       * later failed, or one canceled while it awaited the customer. `reported` (payment.refund_failed)
       * is a failure's refund.failed (Stripe sends it and a refund.updated for one failure, and one
       * billing event is owed) and a cancellation's refund.updated (no refund.failed follows one).
       */
      kind: 'refund_updated';
      paymentIntentId: string;
      /** Our user and payment, when the refund was made through this API. */
      metadata: Record<string, string>;
      refund: RefundRecord;
      reported: boolean;
    }
  | {
      kind: 'dispute';
      paymentIntentId: string;
      dispute: { disputeId: string; amount: number; reason: string; status: string };
    }
  | {
      kind: 'checkout';
      event: 'completed' | 'expired';
      checkout: {
        checkoutSessionId: string;
        mode: 'payment' | 'subscription' | 'setup';
        paymentStatus: string;
        amountTotal: number | undefined;
        currency: string | undefined;
        paymentIntentId: string | undefined;
        subscriptionId: string | undefined;
        clientReferenceId: string | undefined;
        stripeCustomerId: string | undefined;
        metadata: Record<string, string>;
      };
    }
  | {
      kind: 'subscription';
      event: 'created' | 'updated' | 'deleted';
      subscription: SubscriptionSnapshot;
      /** The subscription before this event, from an update's previous_attributes; undefined when the event does not say. */
      previous: SubscriptionSnapshot | undefined;
    }
  | {
      kind: 'customer';
      event: 'updated' | 'deleted';
      customer: CustomerSnapshot;
      /** The customer before this event, from an update's previous_attributes; undefined when the event does not say. */
      previous: CustomerSnapshot | undefined;
      /** The user our API tagged the customer with (metadata.userId). */
      userId: string | undefined;
    }
  | {
      kind: 'invoice';
      event: 'paid' | 'payment_failed';
      invoice: {
        invoiceId: string;
        stripeCustomerId: string | undefined;
        subscriptionId: string | undefined;
        status: string | undefined;
        amountDue: number;
        amountPaid: number;
        currency: string;
        attemptCount: number;
        /** Epoch seconds. */
        nextPaymentAttempt: number | undefined;
        hostedInvoiceUrl: string | undefined;
        /** Stripe's billing_reason: subscription_create for the first invoice, subscription_cycle for a renewal, … */
        billingReason: string | undefined;
      };
      /** The user our API tagged the invoice's subscription with (its metadata.userId), when it has one. */
      userId: string | undefined;
    };

/** Stripe's times are epoch seconds; ours, in records and billing events, ISO-8601. */
export function epochSecondsToIso(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString();
}
