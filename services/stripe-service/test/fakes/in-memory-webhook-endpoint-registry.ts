import type { WebhookEndpoint, WebhookEndpointRegistry, WebhookEndpointSettings } from '../../src/application/ports/webhook-endpoint-registry';

/** Webhook endpoints in memory, with their secrets kept apart as Stripe keeps them. */
export class InMemoryWebhookEndpointRegistry implements WebhookEndpointRegistry {
  private readonly endpoints = new Map<string, WebhookEndpoint>();
  readonly secrets = new Map<string, string>();
  private sequence = 0;
  /** Counts create, update and remove calls, so a test can see that a run changed nothing. */
  changes = 0;

  constructor(private readonly now: () => number = () => Math.floor(Date.now() / 1000)) {}

  async list(): Promise<WebhookEndpoint[]> {
    // A map keeps insertion order: the order of creation.
    return [...this.endpoints.values()].map((e) => structuredClone(e));
  }

  async create(settings: WebhookEndpointSettings & { apiVersion: string }): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    this.changes += 1;
    this.sequence += 1;
    const endpoint: WebhookEndpoint = {
      id: `we_fake${String(this.sequence).padStart(6, '0')}`,
      url: settings.url,
      enabledEvents: [...new Set(settings.enabledEvents)],
      apiVersion: settings.apiVersion,
      description: settings.description,
      metadata: { ...settings.metadata },
      enabled: true,
      created: this.now(),
    };
    const secret = `whsec_fake${this.sequence}${Math.random().toString(36).slice(2)}`;
    this.endpoints.set(endpoint.id, endpoint);
    this.secrets.set(endpoint.id, secret);
    return { endpoint: structuredClone(endpoint), secret };
  }

  async update(id: string, changes: Partial<Omit<WebhookEndpointSettings, 'url'>> & { enabled?: boolean }): Promise<WebhookEndpoint> {
    const current = this.require(id);
    this.changes += 1;
    const next: WebhookEndpoint = {
      ...current,
      ...(changes.enabledEvents ? { enabledEvents: [...new Set(changes.enabledEvents)] } : {}),
      ...(changes.description === undefined ? {} : { description: changes.description }),
      // Stripe merges metadata keys; an empty value removes the key.
      ...(changes.metadata ? { metadata: Object.fromEntries(Object.entries({ ...current.metadata, ...changes.metadata }).filter(([, v]) => v !== '')) } : {}),
      ...(changes.enabled === undefined ? {} : { enabled: changes.enabled }),
    };
    this.endpoints.set(id, next);
    return structuredClone(next);
  }

  async remove(id: string): Promise<void> {
    this.require(id);
    this.changes += 1;
    this.endpoints.delete(id);
    this.secrets.delete(id);
  }

  private require(id: string): WebhookEndpoint {
    const found = this.endpoints.get(id);
    // The message Stripe gives, so callers see the same failure on both.
    if (!found) throw new Error(`No such webhook endpoint: '${id}'`);
    return found;
  }
}
