import type Stripe from 'stripe';

export interface StripeClientOptions {
  apiKey: string;
  /** Base URL of a Stripe-compatible API (the local simulator or stripe-mock); real Stripe when unset. */
  apiUrl?: string | undefined;
  timeoutMs?: number;
  maxNetworkRetries?: number;
}

/**
 * The SDK with production defaults: bounded time per call, retries on network errors and 409/429/5xx
 * (safe because every create carries our own idempotency key), no telemetry headers.
 *
 * The SDK is imported here, on first use, not at the top of the bundle: it is the largest module a
 * function loads (about a third of a bundle), and a cold start whose first request never calls
 * Stripe (reading a customer or the payment history) should not pay for evaluating it.
 */
export async function createStripeClient(options: StripeClientOptions): Promise<Stripe> {
  const { default: StripeSdk } = await import('stripe');
  const endpoint = options.apiUrl ? new URL(options.apiUrl) : undefined;
  return new StripeSdk(options.apiKey, {
    // Two attempts of 4 s each fit a 15 s function next to its DynamoDB calls; the request deadline covers the rest.
    maxNetworkRetries: options.maxNetworkRetries ?? 1,
    timeout: options.timeoutMs ?? 4_000,
    telemetry: false,
    appInfo: { name: 'stripe-payments-service' },
    ...(endpoint
      ? {
          host: endpoint.hostname,
          port: endpoint.port || (endpoint.protocol === 'https:' ? 443 : 80),
          protocol: endpoint.protocol === 'https:' ? 'https' : 'http',
        }
      : {}),
  });
}
