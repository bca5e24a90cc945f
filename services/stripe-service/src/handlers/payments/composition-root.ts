import { JwtAuthenticator } from '@shared/auth/jwt-authenticator';
import { CancelPaymentIntent } from '../../application/payments/cancel-payment-intent';
import { CapturePaymentIntent } from '../../application/payments/capture-payment-intent';
import { ConfirmPaymentIntent } from '../../application/payments/confirm-payment-intent';
import { CreateCheckoutSession } from '../../application/payments/create-checkout-session';
import { CreatePaymentIntent } from '../../application/payments/create-payment-intent';
import { GetPayment } from '../../application/payments/get-payment';
import { ListPayments } from '../../application/payments/list-payments';
import { RefundPayment } from '../../application/payments/refund-payment';
import { PAYMENT_METRICS, type PaymentMetrics } from '../../application/ports/payment-metrics';
import { RunIdempotently } from '../../application/shared/run-idempotently';
import { authModule } from '../../composition/auth';
import { awsModule } from '../../composition/aws';
import { catalogModule } from '../../composition/catalog';
import { composeFunction, resolvedOnDemand } from '../../composition/compose';
import { customersModule } from '../../composition/customers';
import { paymentsModule } from '../../composition/payments';
import { platformModule } from '../../composition/platform';
import { createTelemetry } from '../../composition/service';
import { stripeModule } from '../../composition/stripe';

const NEEDS = [
  'STRIPE_CUSTOMERS_TABLE',
  'PAYMENTS_TABLE',
  'API_IDEMPOTENCY_TABLE',
  'PRODUCTS_TABLE',
  'PRICES_TABLE',
  'AWS_ENDPOINT_URL_DYNAMODB',
  'STRIPE_API_URL',
  'JWT_JWKS_URL',
  'JWT_ISSUER',
  'JWT_AUDIENCE',
] as const;

export const telemetry = createTelemetry();

/** The payments function: checkout, and create, read, confirm, capture, cancel, refund and list the caller's payments. */
export const compose = () =>
  composeFunction(
    NEEDS,
    (config) => [platformModule(config, telemetry), authModule(config), awsModule(config), stripeModule(config), customersModule(config), catalogModule(config), paymentsModule(config)],
    // Each route uses one use case: the first request builds only its own.
    (container) =>
      resolvedOnDemand({
        authenticator: () => container.get(JwtAuthenticator),
        idempotency: () => container.get(RunIdempotently),
        metrics: () => container.get<PaymentMetrics>(PAYMENT_METRICS),
        createPaymentIntent: () => container.get(CreatePaymentIntent),
        createCheckoutSession: () => container.get(CreateCheckoutSession),
        getPayment: () => container.get(GetPayment),
        confirmPaymentIntent: () => container.get(ConfirmPaymentIntent),
        capturePaymentIntent: () => container.get(CapturePaymentIntent),
        cancelPaymentIntent: () => container.get(CancelPaymentIntent),
        refundPayment: () => container.get(RefundPayment),
        listPayments: () => container.get(ListPayments),
      }),
  );

export type PaymentsDeps = Awaited<ReturnType<typeof compose>>;
