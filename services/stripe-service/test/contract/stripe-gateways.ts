import type { CatalogGateway } from '../../src/application/ports/catalog-gateway';
import type { CheckoutGateway } from '../../src/application/ports/checkout-gateway';
import type { CustomerGateway } from '../../src/application/ports/customer-gateway';
import type { EventGateway } from '../../src/application/ports/event-gateway';
import type { PaymentIntentGateway } from '../../src/application/ports/payment-intent-gateway';
import type { RefundGateway } from '../../src/application/ports/refund-gateway';
import { StripeCaller } from '../../src/adapters/stripe/stripe-call';
import { StripeCatalogGateway } from '../../src/adapters/stripe/stripe-catalog-gateway';
import { StripeCheckoutGateway } from '../../src/adapters/stripe/stripe-checkout-gateway';
import { createStripeClient } from '../../src/adapters/stripe/stripe-client';
import { StripeCustomerGateway } from '../../src/adapters/stripe/stripe-customer-gateway';
import { StripeEventGateway } from '../../src/adapters/stripe/stripe-event-gateway';
import { StripePaymentIntentGateway } from '../../src/adapters/stripe/stripe-payment-intent-gateway';
import { StripeRefundGateway } from '../../src/adapters/stripe/stripe-refund-gateway';

/** Every Stripe port, for contract suites whose cases need more than one (an intent needs a customer). */
export interface Gateways {
  customers: CustomerGateway;
  intents: PaymentIntentGateway;
  refunds: RefundGateway;
  checkout: CheckoutGateway;
  catalog: CatalogGateway;
  events: EventGateway;
}

/** The Stripe adapters of every port over one API base URL (the simulator, stripe-mock, or Stripe when undefined). */
export function stripeGateways(apiKey: string, apiUrl: string | undefined): Gateways {
  const caller = new StripeCaller((key) => createStripeClient({ apiKey: key, apiUrl, maxNetworkRetries: 0 }), async () => apiKey);
  return {
    customers: new StripeCustomerGateway(caller),
    intents: new StripePaymentIntentGateway(caller),
    refunds: new StripeRefundGateway(caller),
    checkout: new StripeCheckoutGateway(caller),
    catalog: new StripeCatalogGateway(caller),
    events: new StripeEventGateway(caller),
  };
}
