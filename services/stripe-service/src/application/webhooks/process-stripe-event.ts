import { createHash } from 'node:crypto';
import type { BillingEvent, CheckoutBillingEvent, InvoiceBillingEvent, PaymentBillingEvent, SubscriptionBillingEvent } from '@shared/events/billing-event';
import { isActive, type CustomerRecord } from '../../domain/customer';
import { applyCustomerDeletion, applyCustomerUpdate, knowsStripeCustomer } from '../../domain/customer-events';
import { withRefund, type Payment, type RefundRecord } from '../../domain/payment';
import { applyIntentEvent, type StripeEventStamp } from '../../domain/payment-events';
import { applyRefundUpdate } from '../../domain/refund-events';
import { epochSecondsToIso as iso, type FailureDetails, type IntentEventKind, type IntentFacts, type StripeChange } from '../../domain/stripe-changes';
import { applySubscriptionEvent, endingKind, type Subscription } from '../../domain/subscription';
import type { BillingEventPublisher } from '../ports/billing-event-publisher';
import type { Clock } from '../ports/clock';
import type { CustomerRepository } from '../ports/customer-repository';
import type { EventMetrics } from '../ports/event-metrics';
import type { EventTranslator } from '../ports/event-translator';
import type { PaymentMetrics } from '../ports/payment-metrics';
import type { PaymentRepository } from '../ports/payment-repository';
import type { StripeEventMessage } from '../ports/stripe-event-queue';
import { STRIPE_EVENT_RECORD_TTL_SECONDS, type StripeEventRecord, type StripeEventStore } from '../ports/stripe-event-store';
import type { SubscriptionRepository } from '../ports/subscription-repository';
import { EventNotApplicableYetError, UnknownPaymentError, UnknownUserError, UnprocessableEventError } from './event-errors';

const WRITE_ATTEMPTS = 5;

/** A read of the payment started before it was needed, or none. */
type NamedPayment = Promise<Payment | undefined> | undefined;

export type ProcessOutcome =
  /** Applied (or already reflected) and its billing event, if any, published. */
  | 'processed'
  /** Processed before: nothing done again. */
  | 'duplicate'
  /** Older than what the record holds: nothing changed, nothing published. */
  | 'out_of_order'
  /** Not a type this service handles. */
  | 'unknown_type';

export interface ProcessResult {
  outcome: ProcessOutcome;
  published: BillingEvent[];
}

const INTENT_BILLING_TYPES: Partial<Record<IntentEventKind, PaymentBillingEvent['type']>> = {
  succeeded: 'payment.successful',
  payment_failed: 'payment.failed',
  requires_action: 'payment.action_required',
  canceled: 'payment.canceled',
  amount_capturable_updated: 'payment.authorized',
};

/**
 * The events worker's use case: one Stripe event, delivered at least once and in any order, into
 * our records and the billing events downstream services act on. Records first, then the billing
 * event, then the event is marked processed: a crash anywhere repeats only what is idempotent (the
 * record change is a no-op the second time, the billing event keeps its id).
 */
export class ProcessStripeEvent {
  constructor(
    private readonly store: StripeEventStore,
    private readonly translator: EventTranslator,
    private readonly payments: PaymentRepository,
    private readonly subscriptions: SubscriptionRepository,
    private readonly customers: CustomerRepository,
    private readonly publisher: BillingEventPublisher,
    private readonly metrics: EventMetrics,
    private readonly paymentMetrics: PaymentMetrics,
    private readonly clock: Clock,
  ) {}

  /**
   * `lastDelivery`: whether the queue will deliver this message again if it fails. Until then an
   * unknown payment or user that may only be early is a transient failure, so an event that beat
   * the record it needs (or an index's lag) is retried instead of acknowledged and lost.
   */
  async execute(message: StripeEventMessage, options: { lastDelivery: boolean } = { lastDelivery: true }): Promise<ProcessResult> {
    try {
      return await this.process(message);
    } catch (error) {
      if (error instanceof UnprocessableEventError && error.mayBeEarly && !options.lastDelivery) {
        this.metrics.failed(false);
        throw new EventNotApplicableYetError(error);
      }
      this.metrics.failed(error instanceof UnprocessableEventError);
      throw error;
    }
  }

  private async process(message: StripeEventMessage): Promise<ProcessResult> {
    const reading = this.store.get(message.eventId);
    // The translation is pure, so it runs while the record is read; its failure waits for the
    // record, so that a duplicate is still acknowledged as one whatever its payload.
    let translated: { change: StripeChange | undefined } | { failure: unknown };
    try {
      translated = { change: this.translator.translate(message.type, message.payload) };
    } catch (failure) {
      translated = { failure };
    }
    // The payment row our ids in the event name is read beside the webhook record (the records of
    // a batch share one request for both) instead of after it; a duplicate never looks at it.
    const named = 'change' in translated && translated.change ? this.namedPayment(translated.change) : undefined;
    named?.catch(() => undefined);
    const seen = await reading;
    if (seen?.status === 'processed') {
      this.metrics.duplicate();
      return { outcome: 'duplicate', published: [] };
    }
    if ('failure' in translated) throw translated.failure;
    const { change } = translated;
    if (!change) {
      await this.markProcessed(message.eventId, seen);
      this.metrics.unknownType(message.type);
      return { outcome: 'unknown_type', published: [] };
    }
    const { stale, events } = await this.apply(change, message, named);
    // One at a time, in order: a failure leaves the rest to the retry, which republishes with the same ids.
    for (const event of events) await this.publisher.publish(event);
    await this.markProcessed(message.eventId, seen);
    if (stale) this.metrics.outOfOrder(message.type, events.length);
    else this.metrics.processed(message.type, events.length);
    return { outcome: stale ? 'out_of_order' : 'processed', published: events };
  }

  /**
   * The billing events the change yields. A stale change (older than what the records hold) leaves
   * them as they are and publishes only what is still true: that a payment succeeded, that an
   * attempt failed, that a subscription was created or ended, a refund was made, each with the
   * record as it stands. A stale state in between (action required, an older update) is not news
   * any more.
   */
  private async apply(change: StripeChange, message: StripeEventMessage, named: NamedPayment): Promise<{ stale: boolean; events: BillingEvent[] }> {
    const fresh = (events: BillingEvent[]) => ({ stale: false, events });
    const stamp: StripeEventStamp = { eventId: message.eventId, created: message.created };
    switch (change.kind) {
      case 'intent':
      case 'refund': {
        const result = await this.applyToPayment(change.intent, change.snapshot, stamp, change.kind === 'intent', change.kind === 'refund' ? change.refunds : [], named);
        if (change.kind === 'refund') {
          // Each charge.refunded is a refund of its own, a fact like a dispute: reported whatever
          // arrived before it, with the record as it stands; only the record's update is skipped.
          // Null when the event does not say what this one refund was: never the total in its place.
          const refund = change.refund.amount === undefined ? null : { refundId: change.refund.refundId ?? null, amount: change.refund.amount };
          return { stale: result.stale, events: [this.paymentEvent('payment.refunded', result.payment, message, { refund })] };
        }
        const type = INTENT_BILLING_TYPES[change.event];
        if (result.stale) {
          // The success is a fact whatever came after it (a refund, a dispute): the entitlement hangs on it.
          if (type === 'payment.successful' && result.payment.intentStatus === 'succeeded') return { stale: true, events: [this.paymentEvent(type, result.payment, message, {})] };
          // So is a failed attempt: reported with its own failure and the record as it stands (whose status says where the payment is now).
          if (type === 'payment.failed') return { stale: true, events: [this.paymentEvent(type, result.payment, message, { failure: failureOf(change.snapshot.lastError) })] };
          return { stale: true, events: [] };
        }
        if (!type) return fresh([]);
        const extras = type === 'payment.failed' ? { failure: failureOf(result.payment.lastError) } : {};
        return fresh([this.paymentEvent(type, result.payment, message, extras)]);
      }
      case 'refund_created': {
        // The refund's id and amount on the payment's list; its billing event is charge.refunded's.
        await this.recordRefund(change, named);
        return fresh([]);
      }
      case 'refund_updated': {
        const result = await this.updateRefund(change, stamp, named);
        if (!change.reported) return { stale: result.stale, events: [] };
        // A failure is a fact like a refund: reported also when the record had it first (a
        // redelivery, or its refund.updated), with the record as it stands, so consumers undo what
        // they did on payment.refunded; the id stays bevt_<event id>, so a redelivery dedupes.
        const { refund } = change;
        // A canceled refund is reported as failed with a reason of its own: Stripe's (merchant_request)
        // would read to consumers like a bank's refusal.
        const failureReason = refund.status === 'canceled' ? 'canceled' : (refund.failureReason ?? null);
        return {
          stale: result.stale,
          events: [this.paymentEvent('payment.refund_failed', result.payment, message, { refund: { refundId: refund.id, amount: refund.amount, failureReason } })],
        };
      }
      case 'dispute': {
        const payment = await this.paymentByIntent(change.paymentIntentId, {});
        if (!payment) throw new UnknownPaymentError(`no payment for intent ${change.paymentIntentId}`, { mayBeEarly: true });
        // A dispute is a fact of its own, not a state of the intent: it is always reported.
        return fresh([this.paymentEvent('payment.disputed', payment, message, { dispute: change.dispute })]);
      }
      case 'checkout': {
        const { checkout } = change;
        const userId = await this.userOf(checkout.stripeCustomerId, checkout.metadata.userId);
        const event: CheckoutBillingEvent = {
          ...this.envelope(message, userId, checkout.stripeCustomerId),
          type: change.event === 'completed' ? 'checkout.completed' : 'checkout.expired',
          data: {
            checkoutSessionId: checkout.checkoutSessionId,
            mode: checkout.mode,
            paymentStatus: checkout.paymentStatus,
            amountTotal: checkout.amountTotal ?? null,
            currency: checkout.currency ?? null,
            paymentIntentId: checkout.paymentIntentId ?? null,
            subscriptionId: checkout.subscriptionId ?? null,
            priceId: checkout.metadata.localPriceId ?? null,
            productId: checkout.metadata.localProductId ?? null,
            clientReferenceId: checkout.clientReferenceId ?? null,
          },
        };
        return fresh([event]);
      }
      case 'subscription': {
        const { subscription } = change;
        const userId = await this.userOf(subscription.stripeCustomerId, subscription.metadata.userId);
        const result = await this.applyToSubscription(userId, change, stamp);
        // A creation and an end are facts even when later news came first; a stale update is not.
        if (result.stale && change.event === 'updated') return { stale: true, events: [] };
        const record = result.subscription;
        // A deletion is canceled or expired by its own reason, also when later news reached the record first.
        const endReason = change.event === 'deleted' ? (change.subscription.endReason ?? record.endReason) : record.endReason;
        const type: SubscriptionBillingEvent['type'] =
          change.event === 'created' ? 'subscription.created' : change.event === 'updated' ? 'subscription.updated' : `subscription.${endingKind(endReason)}`;
        const event: SubscriptionBillingEvent = {
          ...this.envelope(message, userId, record.stripeCustomerId),
          type,
          data: {
            subscriptionId: record.subscriptionId,
            status: record.status,
            stripePriceId: record.stripePriceId ?? null,
            priceId: record.priceId ?? null,
            productId: record.metadata.localProductId ?? null,
            quantity: record.quantity,
            currentPeriodEnd: record.currentPeriodEnd ?? null,
            cancelAtPeriodEnd: record.cancelAtPeriodEnd,
            canceledAt: record.canceledAt ?? null,
            endReason: endReason ?? null,
          },
        };
        return { stale: result.stale, events: [event] };
      }
      case 'customer': {
        // The record's link and email follow Stripe; there is no billing type for a customer change.
        const stale = await this.applyToCustomer(change, stamp);
        return { stale, events: [] };
      }
      case 'invoice': {
        const { invoice } = change;
        // Named by the subscription's metadata too, so a renewal of a customer deleted since still reaches its user.
        const userId = await this.userOf(invoice.stripeCustomerId, change.userId);
        const event: InvoiceBillingEvent = {
          ...this.envelope(message, userId, invoice.stripeCustomerId),
          type: change.event === 'paid' ? 'invoice.paid' : 'invoice.payment_failed',
          data: {
            invoiceId: invoice.invoiceId,
            subscriptionId: invoice.subscriptionId ?? null,
            status: invoice.status ?? null,
            amountDue: invoice.amountDue,
            amountPaid: invoice.amountPaid,
            currency: invoice.currency,
            attemptCount: invoice.attemptCount,
            nextPaymentAttempt: invoice.nextPaymentAttempt === undefined ? null : iso(invoice.nextPaymentAttempt),
            hostedInvoiceUrl: invoice.hostedInvoiceUrl ?? null,
            // Stripe's invoice events carry no payment error, and what a lookup would find depends on
            // what else has arrived: null, so every delivery of one event publishes the same data.
            failure: null,
            billingReason: invoice.billingReason ?? null,
          },
        };
        return fresh([event]);
      }
    }
  }

  /**
   * Applies an intent's news to its payment record, making the record first for an intent Stripe
   * created for one of our checkouts (its metadata names our user). Conditional writes on the
   * record's version; a concurrent writer's change is read and the event applied to that.
   */
  private async applyToPayment(intent: IntentFacts, snapshot: Parameters<typeof applyIntentEvent>[1], stamp: StripeEventStamp, mayCreate: boolean, refunds: RefundRecord[], named: NamedPayment) {
    let current = await this.paymentByIntent(intent.paymentIntentId, intent.metadata, intent.intentCreated, named);
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt += 1) {
      if (!current) {
        if (!mayCreate) throw new UnknownPaymentError(`no payment for intent ${intent.paymentIntentId}`, { mayBeEarly: true });
        current = await this.createFromIntent(intent, stamp);
      }
      const now = this.nowIso();
      const result = applyIntentEvent(current, snapshot, stamp, now);
      const stale = result.kind === 'stale';
      // A listed refund is a fact whatever the event's place in the order: appended once, by its id.
      const record = refunds.reduce((payment, refund) => withRefund(payment, refund, now), result.record);
      if (record === current) return { stale, payment: current };
      const next = { ...record, version: current.version + 1 };
      if (await this.payments.update(next, current.version)) {
        this.countTransition(current, next);
        return { stale, payment: next };
      }
      current = await this.payments.get(current.userId, current.paymentId);
    }
    throw new Error(`payment for intent ${intent.paymentIntentId} kept changing under ${WRITE_ATTEMPTS} attempts to update it`);
  }

  /** Appends a refund to its payment's list, once by id: a redelivery, or a refund our API recorded first, adds nothing. */
  private async recordRefund(change: Extract<StripeChange, { kind: 'refund_created' }>, named: NamedPayment): Promise<void> {
    let current = await this.paymentByIntent(change.paymentIntentId, change.metadata, undefined, named);
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt += 1) {
      if (!current) throw new UnknownPaymentError(`no payment for intent ${change.paymentIntentId}`, { mayBeEarly: true });
      const next = withRefund(current, change.refund, this.nowIso());
      if (next === current) return;
      if (await this.payments.update({ ...next, version: current.version + 1 }, current.version)) return;
      current = await this.payments.get(current.userId, current.paymentId);
    }
    throw new Error(`payment for intent ${change.paymentIntentId} kept changing under ${WRITE_ATTEMPTS} attempts to record refund ${change.refund.id}`);
  }

  /** A refund's new status on its payment's record (see applyRefundUpdate), conditional on the record's version. */
  private async updateRefund(change: Extract<StripeChange, { kind: 'refund_updated' }>, stamp: StripeEventStamp, named: NamedPayment): Promise<{ stale: boolean; payment: Payment }> {
    let current = await this.paymentByIntent(change.paymentIntentId, change.metadata, undefined, named);
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt += 1) {
      if (!current) throw new UnknownPaymentError(`no payment for intent ${change.paymentIntentId}`, { mayBeEarly: true });
      const result = applyRefundUpdate(current, change.refund, stamp, this.nowIso());
      if (result.record === current) return { stale: result.kind === 'stale', payment: current };
      const next = { ...result.record, version: current.version + 1 };
      if (await this.payments.update(next, current.version)) return { stale: false, payment: next };
      current = await this.payments.get(current.userId, current.paymentId);
    }
    throw new Error(`payment for intent ${change.paymentIntentId} kept changing under ${WRITE_ATTEMPTS} attempts to update refund ${change.refund.id}`);
  }

  /**
   * By the ids our API put in the intent's metadata (the index may lag a new row), else by the
   * intent index. `named`: that first read, when it was started already (see namedPayment).
   */
  private async paymentByIntent(paymentIntentId: string, metadata: Record<string, string>, intentCreated?: number, named?: NamedPayment): Promise<Payment | undefined> {
    const { userId, paymentId } = metadata;
    if (userId && paymentId) {
      const direct = await (named ?? this.payments.get(userId, paymentId));
      if (direct) return direct;
    }
    const indexed = await this.payments.findByPaymentIntentId(paymentIntentId);
    // The index is eventually consistent: the row itself is read strongly before it is changed.
    if (indexed) return (await this.payments.get(indexed.userId, indexed.paymentId)) ?? indexed;
    if (userId && intentCreated !== undefined) return this.payments.get(userId, derivedPaymentId(paymentIntentId, intentCreated));
    return undefined;
  }

  private async createFromIntent(intent: IntentFacts, stamp: StripeEventStamp): Promise<Payment> {
    const userId = intent.metadata.userId;
    if (!userId) throw new UnknownPaymentError(`intent ${intent.paymentIntentId} was not made through this service`, { mayBeEarly: false });
    const customer = await this.customers.get(userId);
    // A named customer may have been deleted in Stripe since it was charged (the record then knows
    // it among its dead ones, or links a new one): the money was still taken, so the row is made.
    const stripeCustomerId = !customer
      ? undefined
      : intent.stripeCustomerId === undefined
        ? isActive(customer) ? customer.stripeCustomerId : undefined
        : knowsStripeCustomer(customer, intent.stripeCustomerId) ? intent.stripeCustomerId : undefined;
    if (!stripeCustomerId) throw new UnknownUserError(`intent ${intent.paymentIntentId} names a user this service does not know as its customer`);
    const now = this.nowIso();
    const { userId: _user, paymentId: _payment, ...metadata } = intent.metadata;
    const created = intent.intentCreated ?? stamp.created;
    // An intent our API made names its payment: the event beat the API's own write, which then
    // finds this row under its key instead of making a second one.
    const named = intent.metadata.paymentId;
    const payment: Payment = {
      userId,
      paymentId: named !== undefined && PAYMENT_ID.test(named) ? named : derivedPaymentId(intent.paymentIntentId, created),
      stripePaymentIntentId: intent.paymentIntentId,
      stripeCustomerId,
      amount: 0,
      currency: intent.currency,
      captureMethod: intent.captureMethod,
      status: 'pending',
      intentStatus: 'pending',
      amountCapturable: 0,
      amountReceived: 0,
      amountRefunded: 0,
      refunds: [],
      description: intent.description,
      metadata,
      lastError: undefined,
      cancellationReason: undefined,
      stripeUpdatedAt: created,
      lastStripeEventId: undefined,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    // Two events of one new intent may race here: the id is derived, so both meet on one row.
    return (await this.payments.create(payment)).payment;
  }

  private async applyToSubscription(userId: string, change: Extract<StripeChange, { kind: 'subscription' }>, stamp: StripeEventStamp) {
    const id = change.subscription.subscriptionId;
    let current = await this.subscriptions.get(userId, id);
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt += 1) {
      const result = applySubscriptionEvent(current, change.subscription, userId, stamp, this.nowIso(), change.previous);
      if (result.kind === 'stale') return { stale: true, subscription: result.record };
      if (result.record === current) return { stale: false, subscription: current };
      const next: Subscription = { ...result.record, version: (current?.version ?? 0) + 1 };
      const written = current ? await this.subscriptions.update(next, current.version) : await this.subscriptions.create(next);
      if (written) return { stale: false, subscription: next };
      current = await this.subscriptions.get(userId, id);
    }
    throw new Error(`subscription ${id} kept changing under ${WRITE_ATTEMPTS} attempts to update it`);
  }

  /** Whether the change is stale. Conditional on what the record held when read; a concurrent change is read and the event applied to that. */
  private async applyToCustomer(change: Extract<StripeChange, { kind: 'customer' }>, stamp: StripeEventStamp): Promise<boolean> {
    const { stripeCustomerId } = change.customer;
    let current = await this.customerRecordOf(stripeCustomerId, change.userId);
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt += 1) {
      const now = this.nowIso();
      const result = change.event === 'deleted' ? applyCustomerDeletion(current, stripeCustomerId, now) : applyCustomerUpdate(current, change.customer, change.previous, stamp, now);
      if (result.kind === 'stale') return true;
      if (result.record === current || (await this.customers.replaceIfUnchanged(result.record, current))) return false;
      const reread = await this.customers.get(current.userId);
      if (!reread) throw new UnknownUserError(`the customer record of ${stripeCustomerId} vanished`);
      current = reread;
    }
    throw new Error(`customer record of ${stripeCustomerId} kept changing under ${WRITE_ATTEMPTS} attempts to update it`);
  }

  /** The record that is (or was, before Stripe deleted it) the link to this customer, read strongly. */
  private async customerRecordOf(stripeCustomerId: string, metadataUserId: string | undefined): Promise<CustomerRecord> {
    const byCustomer = await this.customers.findByStripeCustomerId(stripeCustomerId);
    if (byCustomer) return (await this.customers.get(byCustomer.userId)) ?? byCustomer;
    if (metadataUserId) {
      const named = await this.customers.get(metadataUserId);
      if (named && knowsStripeCustomer(named, stripeCustomerId)) return named;
    }
    // A customer this service never tagged (made in the dashboard, or by another system) never will be ours.
    throw new UnknownUserError(`no user of this service is Stripe customer ${stripeCustomerId}`, { mayBeEarly: metadataUserId !== undefined });
  }

  /**
   * Our user behind a Stripe customer, or named by metadata our API wrote and held to that customer
   * (also once Stripe deleted it: the ends of its subscriptions still reach their user).
   */
  private async userOf(stripeCustomerId: string | undefined, metadataUserId: string | undefined): Promise<string> {
    if (stripeCustomerId) {
      const byCustomer = await this.customers.findByStripeCustomerId(stripeCustomerId);
      if (byCustomer) return byCustomer.userId;
    }
    if (metadataUserId) {
      const named = await this.customers.get(metadataUserId);
      if (named && (stripeCustomerId === undefined ? isActive(named) : knowsStripeCustomer(named, stripeCustomerId))) return named.userId;
    }
    throw new UnknownUserError(`no user of this service is Stripe customer ${stripeCustomerId ?? '(none)'}`);
  }

  private paymentEvent(type: PaymentBillingEvent['type'], payment: Payment, message: StripeEventMessage, extras: Partial<PaymentBillingEvent['data']>): PaymentBillingEvent {
    return {
      ...this.envelope(message, payment.userId, payment.stripeCustomerId),
      type,
      data: {
        paymentId: payment.paymentId,
        paymentIntentId: payment.stripePaymentIntentId,
        status: payment.status,
        amount: payment.amount,
        currency: payment.currency,
        amountCapturable: payment.amountCapturable,
        amountReceived: payment.amountReceived,
        amountRefunded: payment.amountRefunded,
        captureMethod: payment.captureMethod,
        description: payment.description ?? null,
        failure: null,
        refund: null,
        dispute: null,
        cancellationReason: payment.cancellationReason ?? null,
        metadata: payment.metadata,
        ...extras,
      },
    };
  }

  private envelope(message: StripeEventMessage, userId: string, stripeCustomerId: string | undefined) {
    return {
      id: billingEventId(message.eventId),
      version: 1 as const,
      occurredAt: iso(message.created),
      userId,
      stripeCustomerId: stripeCustomerId ?? null,
      livemode: message.livemode,
      source: { stripeEventId: message.eventId, stripeEventType: message.type },
    };
  }

  /** Counted once per payment, on the write that moved it there, whoever made it (as the API does). */
  private countTransition(before: Payment, after: Payment): void {
    if (after.intentStatus === 'succeeded' && before.intentStatus !== 'succeeded') this.paymentMetrics.successfulPayment(after.currency, after.amountReceived);
    if (after.intentStatus === 'failed' && before.intentStatus !== 'failed') this.paymentMetrics.failedPayment();
  }

  /**
   * The first read of the payment a change of ours names by our ids (its metadata's userId and
   * paymentId), the same read paymentByIntent would make first; undefined for the other changes.
   */
  private namedPayment(change: StripeChange): NamedPayment {
    const metadata =
      change.kind === 'intent' || change.kind === 'refund' ? change.intent.metadata : change.kind === 'refund_created' || change.kind === 'refund_updated' ? change.metadata : undefined;
    const { userId, paymentId } = metadata ?? {};
    return userId && paymentId ? this.payments.get(userId, paymentId) : undefined;
  }

  /** From the record as read before the event was applied, whose receipt the mark keeps. */
  private markProcessed(eventId: string, seen: StripeEventRecord | undefined): Promise<void> {
    return this.store.markProcessed(eventId, this.clock.now(), STRIPE_EVENT_RECORD_TTL_SECONDS, { record: seen });
  }

  private nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }
}

/** Stable per Stripe event, so a redelivery republishes the same id and consumers dedupe on it. */
export function billingEventId(stripeEventId: string): string {
  return `bevt_${stripeEventId}`;
}

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
/** A payment id as this service makes them (the API's `pay_<operation id>`, or derived below). */
const PAYMENT_ID = /^pay_[0-9A-Za-z_-]{1,64}$/;

/**
 * The payment id of an intent Stripe created (a checkout's): time-ordered by the intent's creation
 * like every payment id, the rest derived from the intent id, so every event of the intent finds
 * the same row, however they race.
 */
export function derivedPaymentId(paymentIntentId: string, createdSeconds: number): string {
  let time = createdSeconds * 1000;
  let prefix = '';
  for (let i = 0; i < 10; i += 1) {
    prefix = ALPHABET[time % 32] + prefix;
    time = Math.floor(time / 32);
  }
  const digest = createHash('sha256').update(paymentIntentId).digest();
  const rest = [...digest.subarray(0, 16)].map((byte) => ALPHABET[byte % 32]).join('');
  return `pay_${prefix}${rest}`;
}

function failureOf(error: Payment['lastError']): { code: string | null; declineCode: string | null; message: string | null } | null {
  if (!error) return null;
  const e: FailureDetails = error;
  return { code: e.code ?? null, declineCode: e.declineCode ?? null, message: e.message ?? null };
}
