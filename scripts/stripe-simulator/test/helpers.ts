import Stripe from 'stripe';
import { startStripeSimulator, type StripeSimulator, type StripeSimulatorOptions } from '../index';

export const TEST_KEY = 'sk_test_simulator_123456789';

export interface Harness {
  sim: StripeSimulator;
  stripe: Stripe;
}

export async function startHarness(options: StripeSimulatorOptions = {}, stripeConfig: Stripe.StripeConfig = {}): Promise<Harness> {
  const sim = await startStripeSimulator({ port: 0, ...options });
  const stripe = new Stripe(TEST_KEY, {
    host: '127.0.0.1',
    port: sim.port,
    protocol: 'http',
    maxNetworkRetries: 0,
    ...stripeConfig,
  });
  return { sim, stripe };
}

/** Raw HTTP to the simulator, for what the SDK hides (headers, malformed input). */
export async function raw(
  sim: StripeSimulator,
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${TEST_KEY}`,
      ...(body !== undefined ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** A payment confirmed at once with the test Visa card (no redirects), captured or only authorized. */
export async function paidIntent(stripe: Stripe, amount: number, captureMethod: 'automatic' | 'manual' = 'automatic'): Promise<Stripe.PaymentIntent> {
  return stripe.paymentIntents.create({
    amount,
    currency: 'usd',
    payment_method: 'pm_card_visa',
    confirm: true,
    capture_method: captureMethod,
    automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
  });
}

/** The events of a card payment that succeeds, in order (`automatic_async`: the balance transaction comes in a charge.updated). */
export const CARD_PAYMENT_EVENTS = ['payment_intent.created', 'charge.succeeded', 'payment_intent.succeeded', 'charge.updated'] as const;
