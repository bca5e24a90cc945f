import { startStripeSimulator } from '../../../../scripts/stripe-simulator/index';
import { startStripeMock } from '../../../../scripts/testing/emulators';
import { StripeCaller } from '../../src/adapters/stripe/stripe-call';
import { createStripeClient } from '../../src/adapters/stripe/stripe-client';
import { StripeWebhookEndpointRegistry } from '../../src/adapters/stripe/stripe-webhook-endpoint-registry';
import { InMemoryWebhookEndpointRegistry } from '../fakes/in-memory-webhook-endpoint-registry';
import { webhookEndpointRegistryContract } from './webhook-endpoint-registry.contract';

const registry = (apiKey: string, apiUrl: string) => new StripeWebhookEndpointRegistry(new StripeCaller((key) => createStripeClient({ apiKey: key, apiUrl, maxNetworkRetries: 0 }), async () => apiKey));

// The fake the use case's unit tests use must behave like the Stripe adapter.
webhookEndpointRegistryContract({ name: 'in-memory', stateful: true, setup: async () => ({ gateway: new InMemoryWebhookEndpointRegistry(), teardown: async () => {} }) });

webhookEndpointRegistryContract({
  name: 'Stripe adapter on the Stripe simulator',
  stateful: true,
  setup: async () => {
    const simulator = await startStripeSimulator({ port: 0 });
    return { gateway: registry('sk_test_contract', simulator.url), teardown: () => simulator.stop() };
  },
});

webhookEndpointRegistryContract({
  name: 'Stripe adapter on stripe-mock',
  stateful: false,
  setup: async () => {
    const mock = await startStripeMock();
    return { gateway: registry('sk_test_stripemock', mock.endpoint), teardown: () => mock.stop() };
  },
  // The newest version stripe-mock's bundled spec enumerates; it validates the request against
  // that spec, which is older than the SDK's.
}, '2025-09-30.clover');
