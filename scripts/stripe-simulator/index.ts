// A stateful Stripe API simulator for development and tests: the official SDK talks to it as it
// would to api.stripe.com (`new Stripe(key, { host, port, protocol: 'http' })`).
import type { AddressInfo } from 'node:net';
import { SimulatorCore } from './core';
import type { FaultControls } from './faults';
import type { RateLimitOptions } from './rate-limit';
import { TEST_MODE_LIMITS } from './rate-limit';
import { registerControls } from './resources/controls';
import { registerCustomers } from './resources/customers';
import { registerDisputes } from './resources/disputes';
import { registerEvents } from './resources/events';
import { registerCharges } from './resources/charges';
import { registerCheckoutSessions } from './resources/checkout-sessions';
import { registerInvoiceItems } from './resources/invoice-items';
import { registerInvoices } from './resources/invoices';
import { registerPaymentIntents } from './resources/payment-intents';
import { registerPaymentMethods } from './resources/payment-methods';
import { registerPrices } from './resources/prices';
import { registerProducts } from './resources/products';
import { cancelScheduledRefundFailures, registerRefunds } from './resources/refunds';
import { registerSubscriptions } from './resources/subscriptions';
import { registerTestClocks } from './resources/test-clocks';
import { registerWebhookEndpoints } from './resources/webhook-endpoints';
import { startWebhookDelivery } from './delivery';
import { Persistence } from './persistence';
import { createHttpServer } from './server';
import type { StripeEvent } from './events';
import { createWebhookEndpoint, type WebhookControls, type WebhookDeliveryOptions, type WebhookEndpointObject } from './webhooks';

export type { FaultControls, FaultKind, FaultRule } from './faults';
export type { StripeEvent } from './events';
export type { WebhookControls, WebhookDelivery, WebhookDeliveryOptions, WebhookEndpointConfig } from './webhooks';
export { signatureHeader } from './delivery';

export interface StripeSimulatorOptions {
  /** Default 12111; 0 picks a free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** When set, state persists to JSON files there across restarts; unset keeps it in memory. */
  dataDir?: string;
  /** The accepted secret key; by default any key starting with `sk_test_` is accepted. */
  apiKey?: string;
  /** Endpoints registered at start (events are delivered to them, signed with `secret`). */
  webhookEndpoints?: { url: string; secret?: string; enabledEvents?: string[] }[];
  /** Base clock in ms (tests); advanceClock moves simulated time on from it. The rate limiter's one-second windows follow it too. */
  now?: () => number;
  /** Throttle like Stripe test mode (25 reads + 25 writes per second) or with custom limits. Off by default. */
  rateLimit?: boolean | RateLimitOptions;
  /**
   * Seconds of simulated time before a new object appears in search results, as Stripe's search
   * index lags (up to a minute). 0 (default) makes search immediate.
   */
  searchLagSeconds?: number;
  /** Webhook delivery settings at start (tests use a fast `retryBaseMs`); changeable later via `webhooks.configure`. */
  webhookDelivery?: WebhookDeliveryOptions;
}

export interface StripeSimulator {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Fault injection: the next N (or a share of) requests answer 429/500, hang, or drop. */
  faults: FaultControls;
  /** Webhook delivery switches and the list of deliveries. */
  webhooks: WebhookControls;
  /** Moves simulated time forward (renewals, expiry, event retention follow it). Returns the new time in seconds. */
  advanceClock(seconds: number): Promise<number>;
  /** Current simulated time in seconds. */
  now(): number;
  /** Every event recorded so far, newest first. */
  events(): StripeEvent[];
  /** Registers a webhook endpoint; returns its id and signing secret. */
  addWebhookEndpoint(config: { url: string; secret?: string; enabledEvents?: string[] }): { id: string; secret: string };
  /** Turns Stripe-like rate limiting on (default test-mode limits) or off. */
  setRateLimit(limits: boolean | RateLimitOptions): void;
}

/** Resource modules, each registering its routes; later modules extend this list. */
const RESOURCES: ((core: SimulatorCore) => void)[] = [
  registerCustomers,
  registerProducts,
  registerPrices,
  registerPaymentMethods,
  registerPaymentIntents,
  registerCharges,
  registerRefunds,
  registerCheckoutSessions,
  registerSubscriptions,
  registerInvoices,
  registerInvoiceItems,
  registerTestClocks,
  registerDisputes,
  registerEvents,
  registerWebhookEndpoints,
  registerControls,
];

function rateLimitOption(value: boolean | RateLimitOptions | undefined): RateLimitOptions | undefined {
  if (value === undefined || value === false) return undefined;
  return value === true ? TEST_MODE_LIMITS : value;
}

export async function startStripeSimulator(options: StripeSimulatorOptions = {}): Promise<StripeSimulator> {
  const rateLimit = rateLimitOption(options.rateLimit);
  const core = new SimulatorCore({
    ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
    ...(options.now !== undefined ? { now: options.now } : {}),
    ...(rateLimit !== undefined ? { rateLimit } : {}),
    ...(options.searchLagSeconds !== undefined ? { searchLagSeconds: options.searchLagSeconds } : {}),
  });
  for (const register of RESOURCES) register(core);
  // Saved state comes back before delivery starts and before the configured endpoints are applied.
  const persistence = options.dataDir !== undefined ? new Persistence(core, options.dataDir) : undefined;
  persistence?.load();
  const delivery = startWebhookDelivery(core, options.webhookDelivery);
  const webhooks = delivery.controls;

  for (const endpoint of options.webhookEndpoints ?? []) {
    const existing = core.store.all<WebhookEndpointObject>('webhook_endpoint').find((e) => e.url === endpoint.url);
    if (!existing) createWebhookEndpoint(core, endpoint);
    // Persisted state must not override what the caller configures now (e.g. a new local secret).
    else if (endpoint.secret !== undefined && endpoint.secret !== existing.secret) core.store.put('webhook_endpoint', { ...existing, secret: endpoint.secret });
  }

  const { server, hanging } = createHttpServer(core);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 12111, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;
  core.baseUrl = url;

  return {
    url,
    port,
    faults: core.faults,
    webhooks,
    advanceClock: (seconds) => core.clock.advance(seconds),
    now: () => core.clock.nowSeconds(),
    events: () => core.store.all<StripeEvent>('event'),
    addWebhookEndpoint: (config) => {
      const endpoint = createWebhookEndpoint(core, config);
      return { id: endpoint.id, secret: endpoint.secret ?? '' };
    },
    setRateLimit: (limits) => {
      core.rateLimiter.limits = rateLimitOption(limits);
    },
    stop: async () => {
      cancelScheduledRefundFailures(core);
      delivery.stop();
      for (const socket of hanging) socket.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      persistence?.close();
    },
  };
}
