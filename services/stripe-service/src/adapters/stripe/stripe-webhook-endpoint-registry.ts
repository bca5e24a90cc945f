import type Stripe from 'stripe';
import type { WebhookEndpoint, WebhookEndpointRegistry, WebhookEndpointSettings } from '../../application/ports/webhook-endpoint-registry';
import type { StripeCaller } from './stripe-call';

/** Stripe's webhook endpoints (`/v1/webhook_endpoints`) of the account the key belongs to. */
export class StripeWebhookEndpointRegistry implements WebhookEndpointRegistry {
  constructor(private readonly stripe: StripeCaller) {}

  async list(): Promise<WebhookEndpoint[]> {
    return this.stripe.call(async (stripe, options) => {
      const newestFirst: WebhookEndpoint[] = [];
      for await (const endpoint of stripe.webhookEndpoints.list({ limit: 100 }, options)) newestFirst.push(toEndpoint(endpoint));
      // Stripe's own order, reversed: `created` has whole seconds, and ids are not ordered.
      return newestFirst.reverse();
    });
  }

  async create(settings: WebhookEndpointSettings & { apiVersion: string }): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    return this.stripe.call(async (stripe, options) => {
      const created = await stripe.webhookEndpoints.create(
        {
          url: settings.url,
          enabled_events: settings.enabledEvents as Stripe.WebhookEndpointCreateParams.EnabledEvent[],
          api_version: settings.apiVersion as Stripe.WebhookEndpointCreateParams.ApiVersion,
          description: settings.description,
          metadata: settings.metadata,
        },
        options,
      );
      // Stripe shows the secret on creation only; without it the endpoint could never be verified.
      if (!created.secret) throw new Error(`Stripe created webhook endpoint ${created.id} without returning its signing secret`);
      return { endpoint: toEndpoint(created), secret: created.secret };
    });
  }

  async update(id: string, changes: Partial<Omit<WebhookEndpointSettings, 'url'>> & { enabled?: boolean }): Promise<WebhookEndpoint> {
    return this.stripe.call(async (stripe, options) => {
      const updated = await stripe.webhookEndpoints.update(
        id,
        {
          ...(changes.enabledEvents ? { enabled_events: changes.enabledEvents as Stripe.WebhookEndpointUpdateParams.EnabledEvent[] } : {}),
          ...(changes.description === undefined ? {} : { description: changes.description }),
          ...(changes.metadata ? { metadata: changes.metadata } : {}),
          ...(changes.enabled === undefined ? {} : { disabled: !changes.enabled }),
        },
        options,
      );
      return toEndpoint(updated);
    });
  }

  async remove(id: string): Promise<void> {
    await this.stripe.call((stripe, options) => stripe.webhookEndpoints.del(id, {}, options));
  }
}

function toEndpoint(endpoint: Stripe.WebhookEndpoint): WebhookEndpoint {
  return {
    id: endpoint.id,
    url: endpoint.url,
    enabledEvents: [...endpoint.enabled_events],
    apiVersion: endpoint.api_version ?? null,
    description: endpoint.description ?? null,
    metadata: { ...(endpoint.metadata ?? {}) },
    enabled: endpoint.status !== 'disabled',
    created: endpoint.created,
  };
}
