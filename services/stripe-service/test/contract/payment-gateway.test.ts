import { startStripeMock } from '../../../../scripts/testing/emulators';
import { createStripeClient } from '../../src/adapters/stripe/stripe-client';
import { StripePaymentGateway } from '../../src/adapters/stripe/stripe-payment-gateway';
import { paymentGatewayContract } from './payment-gateway.contract';

// Mode 2: Stripe's official stripe-mock proves every request the adapter makes is valid for Stripe's API.
paymentGatewayContract('StripePaymentGateway on stripe-mock', async () => {
  const mock = await startStripeMock();
  const apiKey = 'sk_test_stripemock';
  return {
    gateway: new StripePaymentGateway(createStripeClient({ apiKey, apiUrl: mock.endpoint, maxNetworkRetries: 0 }), async () => apiKey),
    stateful: false,
    teardown: () => mock.stop(),
  };
});

// Mode 3: real Stripe in test mode, only when a test key is given (never a live key).
const realKey = process.env.STRIPE_SECRET_KEY;
if (realKey?.startsWith('sk_test_')) {
  paymentGatewayContract('StripePaymentGateway on Stripe test mode', async () => ({
    gateway: new StripePaymentGateway(createStripeClient({ apiKey: realKey }), async () => realKey),
    stateful: true,
    teardown: async () => {},
  }));
}
