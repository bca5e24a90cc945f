import { startStripeSimulator } from '../../../../scripts/stripe-simulator/index';
import { startStripeMock } from '../../../../scripts/testing/emulators';
import { InMemoryCustomerGateway } from '../../src/adapters/memory/in-memory-customer-gateway';
import { createStripeClient } from '../../src/adapters/stripe/stripe-client';
import { StripePaymentGateway } from '../../src/adapters/stripe/stripe-payment-gateway';
import { customerGatewayContract, paymentGatewayContract, type GatewayBackend } from './payment-gateway.contract';

// The in-memory fake the use-case unit tests use must behave like the real adapter.
customerGatewayContract('in-memory', async () => ({ gateway: new InMemoryCustomerGateway(), stateful: true, teardown: async () => {} }));

// Mode 1: the Stripe simulator, stateful: every case runs in full.
async function onSimulator(): Promise<GatewayBackend> {
  const simulator = await startStripeSimulator({ port: 0 });
  const apiKey = 'sk_test_contract';
  return {
    gateway: new StripePaymentGateway(createStripeClient({ apiKey, apiUrl: simulator.url, maxNetworkRetries: 0 }), async () => apiKey),
    stateful: true,
    teardown: () => simulator.stop(),
  };
}
customerGatewayContract('StripePaymentGateway on the Stripe simulator', onSimulator);
paymentGatewayContract('StripePaymentGateway on the Stripe simulator', onSimulator);

// Mode 2: Stripe's official stripe-mock proves every request the adapter makes is valid for Stripe's API.
async function onStripeMock(): Promise<GatewayBackend> {
  const mock = await startStripeMock();
  const apiKey = 'sk_test_stripemock';
  return {
    gateway: new StripePaymentGateway(createStripeClient({ apiKey, apiUrl: mock.endpoint, maxNetworkRetries: 0 }), async () => apiKey),
    stateful: false,
    teardown: () => mock.stop(),
  };
}
customerGatewayContract('StripePaymentGateway on stripe-mock', onStripeMock);
paymentGatewayContract('StripePaymentGateway on stripe-mock', onStripeMock);

// Mode 3: real Stripe in test mode, only when a test key is given (never a live key).
const realKey = process.env.STRIPE_SECRET_KEY;
if (realKey?.startsWith('sk_test_')) {
  const onStripe = async (): Promise<GatewayBackend> => ({
    gateway: new StripePaymentGateway(createStripeClient({ apiKey: realKey }), async () => realKey),
    stateful: true,
    teardown: async () => {},
  });
  customerGatewayContract('StripePaymentGateway on Stripe test mode', onStripe);
  paymentGatewayContract('StripePaymentGateway on Stripe test mode', onStripe);
}
