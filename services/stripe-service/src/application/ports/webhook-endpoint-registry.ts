/** A webhook endpoint as the payment provider shows it (never with its signing secret). */
export interface WebhookEndpoint {
  id: string;
  url: string;
  enabledEvents: string[];
  /** The API version events are rendered in; null for the account's default. */
  apiVersion: string | null;
  description: string | null;
  metadata: Record<string, string>;
  enabled: boolean;
  /** Epoch seconds. */
  created: number;
}

export interface WebhookEndpointSettings {
  url: string;
  enabledEvents: string[];
  description: string;
  metadata: Record<string, string>;
}

/** The payment provider's webhook endpoints of the account, for registering a stage's endpoint. */
export interface WebhookEndpointRegistry {
  /** Every endpoint of the account, oldest first. */
  list(): Promise<WebhookEndpoint[]>;
  /** The signing secret is returned here and nowhere else. */
  create(settings: WebhookEndpointSettings & { apiVersion: string }): Promise<{ endpoint: WebhookEndpoint; secret: string }>;
  /** Changes only what is given; the API version cannot be changed after creation. */
  update(id: string, changes: Partial<Omit<WebhookEndpointSettings, 'url'>> & { enabled?: boolean }): Promise<WebhookEndpoint>;
  remove(id: string): Promise<void>;
}

export const WEBHOOK_ENDPOINT_REGISTRY = Symbol.for('WebhookEndpointRegistry');
