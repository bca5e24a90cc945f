import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import type { WebhookEndpointRegistry } from '../../src/application/ports/webhook-endpoint-registry';
import { stripeContractSuite, type StripeBackend } from './stripe-contract-suite';

/** What every WebhookEndpointRegistry must do, on each backend; endpoints pinned to `apiVersion` (by default the SDK's). */
export function webhookEndpointRegistryContract(backend: StripeBackend<WebhookEndpointRegistry>, apiVersion: string = Stripe.API_VERSION) {
  const API_VERSION = apiVersion;
  stripeContractSuite('WebhookEndpointRegistry', backend, ({ gateway, statefully, statefulIt }) => {
    const settings = () => ({
      url: `https://hooks.example.test/${randomUUID()}/stripe/webhook`,
      enabledEvents: ['payment_intent.succeeded', 'charge.refunded'],
      apiVersion: API_VERSION,
      description: 'contract stage',
      metadata: { project: 'contract', stage: 'test' },
    });

    /** An endpoint to change: a new one, or on a stateless backend the one its fixtures answer with. */
    const someEndpoint = async () => (backend.stateful ? (await gateway().create(settings())).endpoint : (await gateway().list())[0]!);

    it('creates an endpoint and hands back its signing secret, once', async () => {
      const wanted = settings();
      if (!backend.stateful) {
        // stripe-mock accepts the request but its fixture carries no secret, which the adapter refuses as it would from Stripe.
        await expect(gateway().create(wanted)).rejects.toThrow(/without returning its signing secret/);
        return;
      }
      const { endpoint, secret } = await gateway().create(wanted);
      expect(secret).toMatch(/^whsec_/);
      expect(endpoint.id).toMatch(/^we_/);
      expect(endpoint).not.toHaveProperty('secret');
      await statefully('the endpoint is created as asked, enabled, and listed without its secret', async () => {
        expect(endpoint).toMatchObject({ url: wanted.url, enabledEvents: wanted.enabledEvents, apiVersion: API_VERSION, description: 'contract stage', metadata: wanted.metadata, enabled: true });
        const listed = (await gateway().list()).find((e) => e.id === endpoint.id);
        expect(listed).toEqual(endpoint);
        expect(JSON.stringify(await gateway().list())).not.toContain(secret);
      });
    });

    it('updates events, description and metadata (merged by key), and disables and enables', async () => {
      const endpoint = await someEndpoint();
      const updated = await gateway().update(endpoint.id, { enabledEvents: ['invoice.paid'], description: 'edited', metadata: { stage: 'prod' }, enabled: false });
      expect(updated.id).toBe(endpoint.id);
      await statefully('the changes are made, the rest kept', async () => {
        expect(updated).toMatchObject({ url: endpoint.url, enabledEvents: ['invoice.paid'], description: 'edited', metadata: { project: 'contract', stage: 'prod' }, enabled: false, apiVersion: API_VERSION });
        expect(updated).not.toHaveProperty('secret');
        expect(await gateway().update(endpoint.id, { enabled: true })).toMatchObject({ enabled: true, enabledEvents: ['invoice.paid'] });
      });
    });

    it('removes an endpoint', async () => {
      const endpoint = await someEndpoint();
      await expect(gateway().remove(endpoint.id)).resolves.toBeUndefined();
      await statefully('it is no longer listed', async () => {
        expect((await gateway().list()).map((e) => e.id)).not.toContain(endpoint.id);
      });
    });

    statefulIt('lists every endpoint oldest first, across pages', 'needs the endpoints it created', async () => {
      const created: string[] = [];
      for (let i = 0; i < 3; i += 1) created.push((await gateway().create(settings())).endpoint.id);
      const listed = (await gateway().list()).map((e) => e.id);
      expect(listed.filter((id) => created.includes(id))).toEqual(created);
    });

    statefulIt('refuses to update or remove an endpoint that does not exist', 'answers every id from fixtures', async () => {
      await expect(gateway().update('we_doesnotexist', { description: 'x' })).rejects.toThrow();
      await expect(gateway().remove('we_doesnotexist')).rejects.toThrow();
    });
  });
}
