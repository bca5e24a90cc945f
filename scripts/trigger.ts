// `npm run trigger -- <event type> [--url URL] [--api-key KEY] [--customer cus_…] [--amount 2000]
//   [--currency usd] [--metadata key=value …] [--list]`
// Like `stripe trigger`: creates the objects on a running Stripe simulator whose changes produce
// the event (and the ones Stripe sends with it), then waits for their webhook deliveries and
// prints what was sent where.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import Stripe from 'stripe';
import { localDataDir } from './lib/resources';

export interface TriggerOptions {
  url: string;
  apiKey: string;
  customer?: string;
  amount?: number;
  currency?: string;
  metadata?: Record<string, string>;
}

export interface TriggerResult {
  event: string;
  /** Ids of the objects created or changed. */
  objects: string[];
  /** Events the simulator recorded while triggering, oldest first. */
  events: { id: string; type: string }[];
}

interface Context {
  stripe: Stripe;
  options: TriggerOptions;
  objects: string[];
}

type Fixture = (ctx: Context) => Promise<void>;

const DEFAULT_URL = 'http://127.0.0.1:12111';

async function customer(ctx: Context, withCard = false): Promise<string> {
  if (ctx.options.customer !== undefined) {
    if (withCard) await ctx.stripe.customers.update(ctx.options.customer, { invoice_settings: { default_payment_method: await card(ctx, 'pm_card_visa', ctx.options.customer) } });
    return ctx.options.customer;
  }
  const created = await ctx.stripe.customers.create({
    email: `trigger-${Date.now()}@example.com`,
    name: 'Triggered customer',
    metadata: ctx.options.metadata ?? {},
  });
  ctx.objects.push(created.id);
  if (withCard) await ctx.stripe.customers.update(created.id, { invoice_settings: { default_payment_method: await card(ctx, 'pm_card_visa', created.id) } });
  return created.id;
}

async function card(ctx: Context, testCard: string, customerId: string): Promise<string> {
  const pm = await ctx.stripe.paymentMethods.attach(testCard, { customer: customerId });
  ctx.objects.push(pm.id);
  return pm.id;
}

function amount(ctx: Context, fallback = 2000): { amount: number; currency: string } {
  return { amount: ctx.options.amount ?? fallback, currency: ctx.options.currency ?? 'usd' };
}

const DESCRIPTION = '(created by npm run trigger)';
const SHIPPING = {
  name: 'Jenny Rosen',
  address: { line1: '510 Townsend St', postal_code: '94103', city: 'San Francisco', state: 'CA', country: 'US' },
} as const;

/** The payment intent of the Stripe CLI's fixtures (the same parameters), with our metadata and customer. */
async function cliIntent(ctx: Context, extra: Partial<Stripe.PaymentIntentCreateParams>, fallbackAmount = 2000): Promise<Stripe.PaymentIntent> {
  const params: Stripe.PaymentIntentCreateParams = {
    ...amount(ctx, fallbackAmount),
    description: DESCRIPTION,
    metadata: ctx.options.metadata ?? {},
    ...(ctx.options.customer !== undefined ? { customer: ctx.options.customer } : {}),
    ...extra,
  };
  return createIntent(ctx, params);
}

async function createIntent(ctx: Context, params: Stripe.PaymentIntentCreateParams): Promise<Stripe.PaymentIntent> {
  try {
    const pi = await ctx.stripe.paymentIntents.create(params);
    ctx.objects.push(pi.id);
    return pi;
  } catch (err) {
    // A decline still creates (and fails) the intent: that is the point of the fixture.
    if (err instanceof Stripe.errors.StripeCardError && err.payment_intent) {
      ctx.objects.push(err.payment_intent.id);
      return err.payment_intent;
    }
    throw err;
  }
}

const confirmedWith = (paymentMethod: string): Partial<Stripe.PaymentIntentCreateParams> => ({
  confirm: true,
  payment_method: paymentMethod,
  allowed_payment_method_types: ['card'],
});

async function intent(ctx: Context, paymentMethod: string | null, extra: Partial<Stripe.PaymentIntentCreateParams> = {}): Promise<Stripe.PaymentIntent> {
  const params: Stripe.PaymentIntentCreateParams = {
    ...amount(ctx),
    customer: await customer(ctx),
    metadata: ctx.options.metadata ?? {},
    automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
    ...(paymentMethod !== null ? { payment_method: paymentMethod, confirm: true } : {}),
    ...extra,
  };
  return createIntent(ctx, params);
}

async function productAndPrice(ctx: Context, recurring: boolean): Promise<string> {
  const product = await ctx.stripe.products.create({ name: 'Triggered product', description: DESCRIPTION });
  const price = await ctx.stripe.prices.create({
    product: product.id,
    unit_amount: ctx.options.amount ?? 1500,
    currency: ctx.options.currency ?? 'usd',
    ...(recurring ? { recurring: { interval: 'month' as const } } : {}),
  });
  ctx.objects.push(product.id, price.id);
  return price.id;
}

/** As the CLI's subscription fixtures: a customer created with a card as default, a monthly price, a subscription. */
async function subscription(ctx: Context): Promise<Stripe.Subscription> {
  let customerId = ctx.options.customer;
  if (customerId === undefined) {
    const created = await ctx.stripe.customers.create({
      description: DESCRIPTION,
      payment_method: 'pm_card_visa',
      invoice_settings: { default_payment_method: 'pm_card_visa' },
      metadata: ctx.options.metadata ?? {},
    });
    customerId = created.id;
    ctx.objects.push(created.id);
  } else {
    await ctx.stripe.customers.update(customerId, { invoice_settings: { default_payment_method: await card(ctx, 'pm_card_visa', customerId) } });
  }
  const price = await productAndPrice(ctx, true);
  const sub = await ctx.stripe.subscriptions.create({ customer: customerId, items: [{ price }], metadata: ctx.options.metadata ?? {} });
  ctx.objects.push(sub.id, ...(typeof sub.latest_invoice === 'string' ? [sub.latest_invoice] : []));
  return sub;
}

/** As the CLI's invoice fixtures: a customer, a card attached, an invoice item, an invoice taking it, paid with the card. */
async function paidInvoice(ctx: Context, testCard: string): Promise<void> {
  let customerId = ctx.options.customer;
  if (customerId === undefined) {
    const created = await ctx.stripe.customers.create({ description: DESCRIPTION, metadata: ctx.options.metadata ?? {} });
    customerId = created.id;
    ctx.objects.push(created.id);
  }
  const paymentMethod = await card(ctx, testCard, customerId);
  await ctx.stripe.invoiceItems.create({ ...amount(ctx), customer: customerId, description: DESCRIPTION });
  const invoice = await ctx.stripe.invoices.create({ customer: customerId, description: DESCRIPTION, pending_invoice_items_behavior: 'include', metadata: ctx.options.metadata ?? {} });
  ctx.objects.push(invoice.id);
  try {
    await ctx.stripe.invoices.pay(invoice.id, { payment_method: paymentMethod });
  } catch (err) {
    // The failing card is the point of invoice.payment_failed.
    if (!(err instanceof Stripe.errors.StripeCardError)) throw err;
  }
}

async function checkoutSession(ctx: Context, extra: Partial<Stripe.Checkout.SessionCreateParams> = {}): Promise<Stripe.Checkout.Session> {
  const price = await productAndPrice(ctx, false);
  const session = await ctx.stripe.checkout.sessions.create({
    mode: 'payment',
    ...(ctx.options.customer !== undefined ? { customer: ctx.options.customer } : {}),
    line_items: [{ price, quantity: 2 }],
    success_url: 'https://example.com/success?session_id={CHECKOUT_SESSION_ID}',
    cancel_url: 'https://example.com/cancel',
    metadata: ctx.options.metadata ?? {},
    ...extra,
  });
  ctx.objects.push(session.id);
  return session;
}

async function simulatorControl(ctx: Context, path: string, fields: Record<string, string>): Promise<Record<string, unknown>> {
  const res = await fetch(`${ctx.options.url}${path}`, { method: 'POST', body: new URLSearchParams(fields) });
  const body = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

/** Cardholders open disputes, not the API: the simulator's control stands in for the bank. */
async function dispute(ctx: Context): Promise<string> {
  const pi = await intent(ctx, 'pm_card_visa');
  const opened = await simulatorControl(ctx, `/_simulator/charges/${String(pi.latest_charge)}/dispute`, { reason: 'fraudulent' });
  ctx.objects.push(String(opened['id']));
  return String(opened['id']);
}

/** Pays on the hosted page the way a browser submits its form. */
async function payOnHostedPage(ctx: Context, session: Stripe.Checkout.Session): Promise<void> {
  const res = await fetch(session.url!, {
    method: 'POST',
    body: new URLSearchParams({ email: 'trigger@example.com', card_number: '4242424242424242', card_expiry: '12 / 40', card_cvc: '123', billing_name: 'Jenny Rosen', action: 'pay' }),
    redirect: 'manual',
  });
  if (res.status !== 303) throw new Error(`the hosted checkout page answered ${res.status}, not a redirect to success_url`);
  const paid = await ctx.stripe.checkout.sessions.retrieve(session.id);
  if (typeof paid.payment_intent === 'string') ctx.objects.push(paid.payment_intent);
}

/**
 * The event types the events worker handles make the same calls as the Stripe CLI's trigger
 * fixtures (so both produce the same events), with `--metadata` on what they create and
 * `--customer` instead of a new customer; the others build their objects more directly.
 */
export const FIXTURES: Record<string, Fixture> = {
  'customer.created': async (ctx) => void (await customer(ctx)),
  'customer.updated': async (ctx) => void (await ctx.stripe.customers.update(await customer(ctx), { metadata: { triggered: String(Date.now()) } })),
  'customer.deleted': async (ctx) => {
    const id = await customer(ctx);
    await ctx.stripe.customers.del(id);
  },
  'payment_intent.created': async (ctx) => void (await intent(ctx, null)),
  'payment_intent.succeeded': async (ctx) => void (await cliIntent(ctx, { ...confirmedWith('pm_card_visa'), shipping: { ...SHIPPING, address: { ...SHIPPING.address } } })),
  'payment_intent.payment_failed': async (ctx) => void (await cliIntent(ctx, confirmedWith('pm_card_chargeDeclined'))),
  'payment_intent.requires_action': async (ctx) => void (await cliIntent(ctx, confirmedWith('pm_card_authenticationRequired'))),
  'payment_intent.amount_capturable_updated': async (ctx) =>
    void (await cliIntent(ctx, { ...confirmedWith('pm_card_visa'), capture_method: 'manual', confirmation_method: 'manual', return_url: 'https://example.com/return' })),
  'payment_intent.canceled': async (ctx) => {
    const pi = await cliIntent(ctx, {});
    await ctx.stripe.paymentIntents.cancel(pi.id, { cancellation_reason: 'requested_by_customer' });
  },
  'charge.succeeded': async (ctx) => void (await intent(ctx, 'pm_card_visa')),
  'charge.failed': async (ctx) => void (await intent(ctx, 'pm_card_chargeDeclined')),
  'charge.captured': async (ctx) => {
    const pi = await intent(ctx, 'pm_card_visa', { capture_method: 'manual' });
    await ctx.stripe.paymentIntents.capture(pi.id);
  },
  'charge.refunded': async (ctx) => {
    const pi = await cliIntent(ctx, confirmedWith('pm_card_visa'), 100);
    const refund = await ctx.stripe.refunds.create({ payment_intent: pi.id });
    ctx.objects.push(refund.id);
  },
  // The bank's inquiry follows the payment with Stripe's dispute test card, as with the CLI.
  'charge.dispute.created': async (ctx) => void (await cliIntent(ctx, confirmedWith('pm_card_createDisputeInquiry'), 100)),
  'charge.dispute.closed': async (ctx) => {
    const opened = await dispute(ctx);
    await simulatorControl(ctx, `/_simulator/disputes/${opened}/resolve`, { outcome: 'lost' });
  },
  'checkout.session.completed': async (ctx) =>
    payOnHostedPage(ctx, await checkoutSession(ctx, { payment_intent_data: { shipping: { ...SHIPPING, address: { ...SHIPPING.address } }, metadata: ctx.options.metadata ?? {} } })),
  'checkout.session.expired': async (ctx) => void (await ctx.stripe.checkout.sessions.expire((await checkoutSession(ctx)).id)),
  'customer.subscription.created': async (ctx) => void (await subscription(ctx)),
  'customer.subscription.updated': async (ctx) => void (await ctx.stripe.subscriptions.update((await subscription(ctx)).id, { metadata: { triggered: String(Date.now()) } })),
  'customer.subscription.deleted': async (ctx) => void (await ctx.stripe.subscriptions.cancel((await subscription(ctx)).id)),
  'invoice.created': async (ctx) => void (await subscription(ctx)),
  'invoice.finalized': async (ctx) => void (await subscription(ctx)),
  'invoice.paid': async (ctx) => paidInvoice(ctx, 'pm_card_visa'),
  'invoice.payment_succeeded': async (ctx) => paidInvoice(ctx, 'pm_card_visa'),
  'invoice.payment_failed': async (ctx) => paidInvoice(ctx, 'pm_card_chargeCustomerFail'),
  'product.created': async (ctx) => {
    const product = await ctx.stripe.products.create({ name: 'Triggered product', metadata: ctx.options.metadata ?? {} });
    ctx.objects.push(product.id);
  },
  'price.created': async (ctx) => {
    const price = await ctx.stripe.prices.create({ currency: amount(ctx).currency, unit_amount: amount(ctx).amount, product_data: { name: 'Triggered product' } });
    ctx.objects.push(price.id);
  },
};

async function simulatorNow(url: string): Promise<number> {
  const res = await fetch(`${url}/_simulator/clock`);
  if (!res.ok) throw new Error(`${url} does not look like the Stripe simulator (GET /_simulator/clock answered ${res.status})`);
  return ((await res.json()) as { now: number }).now;
}

export async function runTrigger(event: string, options: TriggerOptions): Promise<TriggerResult> {
  const fixture = FIXTURES[event];
  if (!fixture) throw new Error(`No fixture for ${event}. Supported: ${Object.keys(FIXTURES).join(', ')}`);
  const target = new URL(options.url);
  const stripe = new Stripe(options.apiKey, {
    host: target.hostname,
    port: Number(target.port || (target.protocol === 'https:' ? 443 : 80)),
    protocol: target.protocol === 'https:' ? 'https' : 'http',
    maxNetworkRetries: 2,
  });
  const since = await simulatorNow(options.url);
  const ctx: Context = { stripe, options, objects: [] };
  await fixture(ctx);
  const recent: Stripe.Event[] = [];
  for await (const e of stripe.events.list({ created: { gte: since }, limit: 100 })) recent.push(e);
  return { event, objects: ctx.objects, events: relatedEvents(recent.reverse(), ctx.objects) };
}

/**
 * The events about what this run created, oldest first: others may be using the simulator at the
 * same time, so an event counts when its object is, or points at, one of ours.
 */
function relatedEvents(oldestFirst: Stripe.Event[], objects: string[]): { id: string; type: string }[] {
  const ours = new Set(objects);
  const out: { id: string; type: string }[] = [];
  for (const e of oldestFirst) {
    const obj = e.data.object as unknown as Record<string, unknown>;
    const parent = obj['parent'] as { subscription_details?: { subscription?: unknown } } | null | undefined;
    const refs = [obj['id'], obj['customer'], obj['payment_intent'], obj['subscription'], obj['invoice'], obj['charge'], obj['product'], parent?.subscription_details?.subscription];
    if (refs.some((r) => typeof r === 'string' && ours.has(r))) {
      out.push({ id: e.id, type: e.type });
      if (typeof obj['id'] === 'string') ours.add(obj['id']);
    }
  }
  return out;
}

interface Delivery {
  eventId: string;
  url: string;
  attempt: number;
  status: number | null;
  error?: string;
}

async function waitForDeliveries(url: string, eventIds: Set<string>, timeoutMs: number): Promise<Delivery[]> {
  await fetch(`${url}/_simulator/webhooks/wait`, { method: 'POST', body: new URLSearchParams({ timeout_ms: String(timeoutMs) }) });
  const res = await fetch(`${url}/_simulator/webhooks/deliveries`);
  const all = ((await res.json()) as { data: Delivery[] }).data;
  return all.filter((d) => eventIds.has(d.eventId));
}

/** Where the simulator is: flags, then the environment, then the running local stack, then the default port. */
export function resolveTarget(flags: { url?: string; apiKey?: string }, env: NodeJS.ProcessEnv = process.env, dataDir = localDataDir()): { url: string; apiKey: string } {
  let url = flags.url ?? env['STRIPE_SIMULATOR_URL'];
  if (url === undefined) {
    const stackFile = join(dataDir, 'dev-stack.json');
    if (existsSync(stackFile)) {
      const stack = JSON.parse(readFileSync(stackFile, 'utf8')) as { stripe?: { url?: unknown } };
      if (typeof stack.stripe?.url === 'string') url = stack.stripe.url;
    }
  }
  let apiKey = flags.apiKey;
  if (apiKey === undefined) {
    const secretsFile = join(dataDir, 'secrets.json');
    const key = `${env['PROJECT_NAME'] || 'stripe-payments'}-local-stripe-secret-key`;
    if (existsSync(secretsFile)) {
      const value = (JSON.parse(readFileSync(secretsFile, 'utf8')) as Record<string, unknown>)[key];
      if (typeof value === 'string') apiKey = value;
    }
  }
  // The simulator accepts any test key unless it was started with a specific one.
  return { url: (url ?? DEFAULT_URL).replace(/\/$/, ''), apiKey: apiKey ?? 'sk_test_trigger' };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      'api-key': { type: 'string' },
      customer: { type: 'string' },
      amount: { type: 'string' },
      currency: { type: 'string' },
      metadata: { type: 'string', multiple: true },
      list: { type: 'boolean', default: false },
      'no-wait': { type: 'boolean', default: false },
    },
  });
  if (values.list) {
    console.log(Object.keys(FIXTURES).join('\n'));
    return;
  }
  const event = positionals[0];
  if (event === undefined || positionals.length > 1) {
    console.error('Usage: npm run trigger -- <event type> [--url URL] [--api-key sk_test_…] [--customer cus_…] [--amount 2000] [--currency usd] [--metadata key=value …]');
    console.error('       npm run trigger -- --list');
    process.exitCode = 2;
    return;
  }
  const metadata: Record<string, string> = {};
  for (const pair of values.metadata ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      console.error(`--metadata wants key=value, got ${pair}`);
      process.exitCode = 2;
      return;
    }
    metadata[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const amountValue = values.amount === undefined ? undefined : Number(values.amount);
  if (amountValue !== undefined && !Number.isInteger(amountValue)) {
    console.error('--amount must be an integer in the smallest currency unit (e.g. 2000 for $20.00)');
    process.exitCode = 2;
    return;
  }
  const target = resolveTarget({ ...(values.url !== undefined ? { url: values.url } : {}), ...(values['api-key'] !== undefined ? { apiKey: values['api-key'] } : {}) });
  const result = await runTrigger(event, {
    ...target,
    ...(values.customer !== undefined ? { customer: values.customer } : {}),
    ...(amountValue !== undefined ? { amount: amountValue } : {}),
    ...(values.currency !== undefined ? { currency: values.currency } : {}),
    metadata,
  });
  console.log(`Triggered ${event} on ${target.url}`);
  console.log(`  objects: ${result.objects.join(', ') || '(none)'}`);
  const deliveries = values['no-wait'] ? [] : await waitForDeliveries(target.url, new Set(result.events.map((e) => e.id)), 15_000);
  for (const e of result.events) {
    const sent = deliveries.filter((d) => d.eventId === e.id);
    const summary = sent.length === 0 ? 'no endpoint' : sent.map((d) => `${d.url} → ${d.status ?? d.error ?? '?'} (attempt ${d.attempt})`).join('; ');
    console.log(`  ${e.type.padEnd(40)} ${e.id}  ${summary}`);
  }
  if (!result.events.some((e) => e.type === event)) {
    console.error(`warning: no ${event} event was recorded`);
    process.exitCode = 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
