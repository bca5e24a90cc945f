import { startStripeSimulator } from '../../../../scripts/stripe-simulator/index';
import { startStripeMock } from '../../../../scripts/testing/emulators';
import { InMemoryCustomerGateway } from '../fakes/in-memory-customer-gateway';
import { catalogGatewayContract } from './catalog-gateway.contract';
import { checkoutGatewayContract } from './checkout-gateway.contract';
import { customerGatewayContract } from './customer-gateway.contract';
import { eventGatewayContract } from './event-gateway.contract';
import { paymentIntentGatewayContract } from './payment-intent-gateway.contract';
import { refundGatewayContract } from './refund-gateway.contract';
import type { StripeBackend } from './stripe-contract-suite';
import { stripeGateways, type Gateways } from './stripe-gateways';

// The in-memory fakes the use-case unit tests use must behave like the real adapters.
customerGatewayContract({ name: 'in-memory', stateful: true, setup: async () => ({ gateway: new InMemoryCustomerGateway(), teardown: async () => {} }) });

/** Mode 1: the Stripe simulator, stateful. Mode 2: stripe-mock, Stripe's own check that every request is valid. Mode 3: Stripe test mode, given a test key. */
const backends: StripeBackend<Gateways>[] = [
  {
    name: 'Stripe adapters on the Stripe simulator',
    stateful: true,
    setup: async () => {
      const simulator = await startStripeSimulator({ port: 0 });
      return { gateway: stripeGateways('sk_test_contract', simulator.url), teardown: () => simulator.stop() };
    },
  },
  {
    name: 'Stripe adapters on stripe-mock',
    stateful: false,
    setup: async () => {
      const mock = await startStripeMock();
      return { gateway: stripeGateways('sk_test_stripemock', mock.endpoint), teardown: () => mock.stop() };
    },
  },
];
const realKey = process.env.STRIPE_SECRET_KEY;
if (realKey?.startsWith('sk_test_')) {
  backends.push({ name: 'Stripe adapters on Stripe test mode', stateful: true, setup: async () => ({ gateway: stripeGateways(realKey, undefined), teardown: async () => {} }) });
}

/** The same backend, handing a suite only the ports it exercises. */
function narrowed<T>(backend: StripeBackend<Gateways>, pick: (gateways: Gateways) => T): StripeBackend<T> {
  return {
    ...backend,
    setup: async () => {
      const started = await backend.setup();
      return { gateway: pick(started.gateway), teardown: started.teardown };
    },
  };
}

for (const backend of backends) {
  customerGatewayContract(narrowed(backend, (g) => g.customers));
  paymentIntentGatewayContract(backend);
  refundGatewayContract(backend);
  catalogGatewayContract(narrowed(backend, (g) => g.catalog));
  checkoutGatewayContract(backend);
  eventGatewayContract(backend);
}
