// Webhook endpoints and delivery controls. Endpoints are `webhook_endpoint` objects in the store;
// delivery subscribes to the event bus.
import { randomString, newId } from './ids';
import type { SimulatorCore } from './core';
import type { StripeObject } from './store';

export interface WebhookEndpointConfig {
  url: string;
  /** Signing secret (`whsec_…`); generated when unset. */
  secret?: string;
  /** Event types to send; all (`*`) when unset. */
  enabledEvents?: string[];
}

export interface WebhookDelivery {
  id: string;
  eventId: string;
  eventType: string;
  endpointId: string;
  url: string;
  attempt: number;
  status: number | null;
  error?: string;
  at: number;
}

export interface WebhookDeliveryOptions {
  /** Send every event this many extra times (Stripe may deliver an event more than once). */
  duplicates?: number;
  /** Hold events and send them in shuffled order (Stripe does not guarantee order). */
  outOfOrder?: boolean;
  /** First retry delay in ms; doubles per attempt. */
  retryBaseMs?: number;
  /** Attempts per event before giving up. */
  maxAttempts?: number;
  /** How long a delivery may take before it counts as failed. */
  timeoutMs?: number;
  /** With `outOfOrder`: how long events are held before the batch goes out (newest first). */
  holdMs?: number;
}

export interface WebhookControls {
  /** Deliveries attempted so far, oldest first. */
  deliveries(): WebhookDelivery[];
  configure(options: WebhookDeliveryOptions): void;
  /** Resolves once no delivery is pending or waiting for a retry. */
  idle(): Promise<void>;
  /** Sends held (out-of-order) events now instead of waiting for the hold window. */
  flush(): void;
  /**
   * Gives the endpoint a new secret, as the Dashboard's "roll secret" does. Until the old secret
   * expires (simulated time), deliveries carry a `v1=` signature for each.
   */
  rollSecret(endpointId: string, options?: { expiresInSeconds?: number; secret?: string }): { secret: string };
  /** Sends a recorded event again, to one endpoint or to every endpoint that wants it. */
  resend(eventId: string, endpointId?: string): void;
  /** Registered endpoints with their current signing secrets (which the API shows only once). */
  endpoints(): { id: string; url: string; secret: string; enabledEvents: string[]; status: 'enabled' | 'disabled' }[];
}

export interface WebhookEndpointObject extends StripeObject {
  object: 'webhook_endpoint';
  url: string;
  enabled_events: string[];
  status: 'enabled' | 'disabled';
  secret?: string;
  /** Rolled secrets still valid until `expires_at` (seconds); never shown by the API. */
  previous_secrets?: { secret: string; expires_at: number }[];
}

export function newWebhookSecret(): string {
  return `whsec_${randomString(32)}`;
}

export function createWebhookEndpoint(core: SimulatorCore, config: WebhookEndpointConfig, extra: Partial<WebhookEndpointObject> = {}): WebhookEndpointObject {
  const endpoint: WebhookEndpointObject = {
    id: newId('we'),
    object: 'webhook_endpoint',
    api_version: null,
    application: null,
    created: core.clock.nowSeconds(),
    description: null,
    enabled_events: config.enabledEvents ?? ['*'],
    livemode: false,
    metadata: {},
    status: 'enabled',
    url: config.url,
    secret: config.secret ?? newWebhookSecret(),
    ...extra,
  };
  return core.store.insert('webhook_endpoint', endpoint);
}

export function endpointWants(endpoint: WebhookEndpointObject, type: string): boolean {
  return endpoint.status === 'enabled' && (endpoint.enabled_events.includes('*') || endpoint.enabled_events.includes(type));
}
