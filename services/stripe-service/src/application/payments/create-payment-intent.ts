import { chargeAmountProblem, type AmountProblem } from '../../domain/money';
import { paymentStatus, type CaptureMethod, type Payment } from '../../domain/payment';
import type { GetOrCreateCustomer } from '../customers/get-or-create-customer';
import type { PaymentIntentGateway } from '../ports/payment-intent-gateway';
import type { Clock } from '../ports/clock';
import type { PaymentRepository } from '../ports/payment-repository';
import { stripeIdempotencyKey } from '../shared/idempotency-keys';
import { InvalidPaymentRequestError } from './payment-errors';
import type { PaymentRecords } from './payment-records';

export interface CreatePaymentIntentInput {
  userId: string;
  email: string | undefined;
  role: string;
  amount: number;
  currency: string;
  captureMethod: CaptureMethod;
  description?: string;
  metadata?: Record<string, string>;
  /** The same for every attempt under one client Idempotency-Key, so a retry makes the same payment. */
  operationId: string;
}

export interface CreatePaymentIntentOutput {
  paymentId: string;
  paymentIntentId: string;
  clientSecret: string | undefined;
  amount: number;
  currency: string;
  status: Payment['status'];
  captureMethod: CaptureMethod;
}

const AMOUNT_MESSAGES: Record<AmountProblem, string> = {
  not_an_integer: 'must be an integer amount in the minor unit of the currency',
  not_positive: 'must be positive',
  too_small: 'is below the minimum charge for this currency',
  too_large: 'is above the maximum charge (99999999 minor units)',
  bad_currency: 'must be an ISO 4217 currency code Stripe supports',
};

/** Metadata keys this service writes on every intent, so webhooks and lookups can find our records. */
const RESERVED_METADATA = ['userId', 'paymentId'];

/**
 * Creates a payment for an amount: the caller's customer first (created on first use), then the
 * Stripe intent under a key derived from our payment id, then our record. A retry after any crash
 * repeats the same steps with the same ids, so Stripe replays the intent and the record is written once.
 */
export class CreatePaymentIntent {
  constructor(
    private readonly customers: GetOrCreateCustomer,
    private readonly intents: PaymentIntentGateway,
    private readonly payments: PaymentRepository,
    private readonly records: PaymentRecords,
    private readonly clock: Clock,
  ) {}

  async execute(input: CreatePaymentIntentInput): Promise<CreatePaymentIntentOutput> {
    const problem = chargeAmountProblem({ amount: input.amount, currency: input.currency });
    if (problem) throw new InvalidPaymentRequestError(problem === 'bad_currency' ? 'currency' : 'amount', AMOUNT_MESSAGES[problem]);
    const reserved = Object.keys(input.metadata ?? {}).find((key) => RESERVED_METADATA.includes(key));
    if (reserved) throw new InvalidPaymentRequestError(`metadata.${reserved}`, 'is reserved for the service');

    const paymentId = `pay_${input.operationId}`;
    const { customer } = await this.customers.execute({ userId: input.userId, email: input.email, role: input.role });
    const intent = await this.intents.createPaymentIntent({
      amount: input.amount,
      currency: input.currency,
      customerId: customer.stripeCustomerId,
      captureMethod: input.captureMethod,
      ...(input.description ? { description: input.description } : {}),
      metadata: { ...input.metadata, userId: input.userId, paymentId },
      // The client confirms through this API or Stripe.js; methods that redirect away are left to Checkout.
      allowRedirects: false,
      idempotencyKey: stripeIdempotencyKey('payment-intent-create', paymentId),
    });
    const now = new Date(this.clock.now()).toISOString();
    const created: Payment = {
      userId: input.userId,
      paymentId,
      stripePaymentIntentId: intent.id,
      stripeCustomerId: customer.stripeCustomerId,
      amount: intent.amount,
      currency: intent.currency,
      captureMethod: intent.captureMethod,
      status: paymentStatus(intent),
      intentStatus: intent.status,
      amountCapturable: intent.amountCapturable,
      amountReceived: intent.amountReceived,
      amountRefunded: intent.amountRefunded,
      refunds: [],
      description: input.description,
      metadata: input.metadata ?? {},
      lastError: intent.lastError,
      cancellationReason: intent.cancellationReason,
      stripeUpdatedAt: intent.created,
      lastStripeEventId: undefined,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    const { payment, created: isNew } = await this.payments.create(created);
    if (isNew) this.records.count(undefined, payment);
    return {
      paymentId: payment.paymentId,
      paymentIntentId: intent.id,
      clientSecret: intent.clientSecret,
      amount: payment.amount,
      currency: payment.currency,
      status: payment.status,
      captureMethod: payment.captureMethod,
    };
  }
}
